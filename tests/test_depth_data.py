"""NYUv2 layouts, the dataset converter, the synthetic scenes, error cases."""
import hashlib
import os
import os.path as osp
import zipfile

import cv2
import numpy as np
import pytest
from mmengine.registry import DefaultScope
from mmseg.registry import DATASETS

from conftest import REPO, run_script
from mmxtkd.datasets import NYUDepthV2Dataset, make_synthetic_nyu
from mmxtkd.datasets.synthetic_depth import NYU_INTRINSICS, render

LOAD = [dict(type='LoadImageFromFile'),
        dict(type='LoadDepthAnnotation', depth_rescale_factor=1e-3),
        dict(type='PackSegInputs')]


def write_frame(folder, stem, depth_mm, seed=0):
    os.makedirs(folder, exist_ok=True)
    rgb = np.random.default_rng(seed).integers(0, 255, depth_mm.shape + (3, ))
    cv2.imwrite(osp.join(folder, f'rgb_{stem}.jpg'), rgb.astype(np.uint8))
    cv2.imwrite(osp.join(folder, f'sync_depth_{stem}.png'),
                depth_mm.astype(np.uint16))


def build(**kwargs):
    with DefaultScope.overwrite_default_scope('mmseg'):
        return NYUDepthV2Dataset(pipeline=LOAD, **kwargs)


@pytest.fixture
def sync_tree(tmp_path):
    root = tmp_path / 'nyu'
    for scene in ('kitchen_0028b', 'bedroom_0004'):
        for i in range(2):
            write_frame(str(root / 'sync' / scene), f'{i:05d}',
                        np.full((12, 16), 1500 + 1000 * i))
    lines = [
        '/kitchen_0028b/rgb_00000.jpg /kitchen_0028b/sync_depth_00000.png '
        '518.8579', '/bedroom_0004/rgb_00001.jpg None 518.8579',
        'bedroom_0004/rgb_00001.jpg bedroom_0004/sync_depth_00001.png 518.8579'
    ]
    (root / 'train.txt').write_text('\n'.join(lines) + '\n')
    return root


def test_list_file_selects_samples_and_depth_is_metres(sync_tree):
    ds = build(data_root=str(sync_tree), data_prefix=dict(img_path='sync'),
               ann_file='train.txt')
    assert len(ds) == 2  # the "None" line is skipped
    first = ds[0]
    assert first['data_samples'].img_path.endswith(
        'kitchen_0028b/rgb_00000.jpg')
    depth = first['data_samples'].gt_depth_map.data
    assert depth.shape == (1, 12, 16)
    assert float(depth.mean()) == pytest.approx(1.5)
    assert ds.get_data_info(0)['focal'] == pytest.approx(518.8579)
    assert ds.get_data_info(0)['category_id'] == ds.METAINFO['classes'].index(
        'kitchen')
    assert float(ds[1]['data_samples'].gt_depth_map.data.mean()) == \
        pytest.approx(2.5)


def test_without_a_list_the_tree_is_scanned(sync_tree):
    ds = build(data_root=str(sync_tree), data_prefix=dict(img_path='sync'))
    assert len(ds) == 4


def test_mmsegs_own_nyu_layout_still_works(tmp_path):
    for split in ('train', ):
        os.makedirs(tmp_path / 'images' / split)
        os.makedirs(tmp_path / 'annotations' / split)
        cv2.imwrite(str(tmp_path / 'images' / split / 'bedroom_0001.jpg'),
                    np.zeros((8, 8, 3), np.uint8))
        cv2.imwrite(str(tmp_path / 'annotations' / split / 'bedroom_0001.png'),
                    np.full((8, 8), 2000, np.uint16))
    with DefaultScope.overwrite_default_scope('mmseg'):
        ds = DATASETS.build(dict(
            type='NYUDataset', data_root=str(tmp_path), pipeline=LOAD,
            data_prefix=dict(img_path='images/train',
                             depth_map_path='annotations/train')))
    assert float(ds[0]['data_samples'].gt_depth_map.data.mean()) == 2.0


def test_missing_root_names_the_path_and_the_converter(tmp_path):
    with pytest.raises(FileNotFoundError, match=r'nope.*nyu_depth_v2\.py'):
        build(data_root=str(tmp_path / 'nope'))


def test_missing_listed_file_names_the_line(sync_tree):
    os.remove(sync_tree / 'sync' / 'kitchen_0028b' / 'sync_depth_00000.png')
    with pytest.raises(FileNotFoundError,
                       match=r'train.txt:1 lists .*sync_depth_00000.png'):
        build(data_root=str(sync_tree), data_prefix=dict(img_path='sync'),
              ann_file='train.txt')


def test_corrupt_image_names_the_file(sync_tree):
    bad = sync_tree / 'sync' / 'kitchen_0028b' / 'rgb_00000.jpg'
    bad.write_bytes(b'not a jpeg at all')
    ds = build(data_root=str(sync_tree), data_prefix=dict(img_path='sync'),
               ann_file='train.txt')
    with pytest.raises(RuntimeError, match=r'cannot load NYUv2 sample .*'
                       r'kitchen_0028b/rgb_00000.jpg'):
        ds[0]


def test_train_pipeline_of_the_main_config_runs_on_the_layout(sync_tree):
    from mmengine.config import Config
    cfg = Config.fromfile(
        osp.join(REPO, 'configs/depth/mbv2_vitb-cls-teacher_inverted.py'))
    pipeline = [dict(t) for t in cfg.train_pipeline]
    pipeline[4]['crop_size'] = (8, 8)  # RandomCrop: the test frames are tiny
    with DefaultScope.overwrite_default_scope('mmseg'):
        ds = NYUDepthV2Dataset(data_root=str(sync_tree),
                               data_prefix=dict(img_path='sync'),
                               pipeline=pipeline)
    out = ds[0]
    assert out['inputs'].shape == (3, 8, 8)
    assert out['data_samples'].gt_depth_map.data.shape == (1, 8, 8)


def fake_public_downloads(tmp_path):
    """sync.zip, a v7.3 (HDF5) labelled .mat, splits.mat, in their layouts."""
    import h5py
    from scipy.io import savemat
    src = tmp_path / 'src'
    os.makedirs(src)
    with zipfile.ZipFile(src / 'sync.zip', 'w') as zf:
        for i in range(2):
            ok, rgb = cv2.imencode('.jpg', np.zeros((6, 8, 3), np.uint8))
            ok, dep = cv2.imencode('.png', np.full((6, 8), 3000 + i,
                                                   np.uint16))
            zf.writestr(f'sync/office_0003/rgb_{i:05d}.jpg', rgb.tobytes())
            zf.writestr(f'sync/office_0003/sync_depth_{i:05d}.png',
                        dep.tobytes())
    h, w, n = 6, 8, 3
    with h5py.File(src / 'labeled.mat', 'w') as f:
        # MATLAB v7.3 stores arrays transposed: images (N, 3, W, H)
        images = np.zeros((n, 3, w, h), np.uint8)
        images[:, 0] = 200  # red
        f['images'] = images
        depths = np.stack([np.full((w, h), 1.25 * (k + 1), np.float32)
                           for k in range(n)])
        f['depths'] = depths
        refs = []
        for k, name in enumerate(('bathroom', 'kitchen', 'bathroom')):
            f[f'scene_{k}'] = np.array([[ord(c)] for c in name], np.uint16)
            refs.append(f[f'scene_{k}'].ref)
        f.create_dataset('sceneTypes', data=np.array([refs]),
                         dtype=h5py.ref_dtype)
    savemat(src / 'splits.mat', dict(testNdxs=np.array([[1], [3]]),
                                     trainNdxs=np.array([[2]])))
    return src


def test_dataset_converter_writes_the_layout_the_dataset_reads(tmp_path):
    src = fake_public_downloads(tmp_path)
    out = tmp_path / 'nyu_depth_v2'
    run_script(osp.join(REPO, 'tools/dataset_converters/nyu_depth_v2.py'),
               '--sync', src / 'sync.zip', '--labeled-mat',
               src / 'labeled.mat', '--splits-mat', src / 'splits.mat',
               '--out', out)
    train = build(data_root=str(out), data_prefix=dict(img_path='sync'),
                  ann_file='nyudepthv2_train_files_with_gt.txt')
    assert len(train) == 2
    test = build(data_root=str(out),
                 data_prefix=dict(img_path='official_splits/test'),
                 ann_file='nyudepthv2_test_files_with_gt.txt', test_mode=True)
    paths = sorted(osp.relpath(test.get_data_info(i)['img_path'],
                               out / 'official_splits' / 'test')
                   for i in range(len(test)))
    assert paths == ['bathroom/rgb_00001.jpg', 'bathroom/rgb_00003.jpg']
    third = [test[i] for i in range(2)
             if test.get_data_info(i)['img_path'].endswith('00003.jpg')][0]
    depth = third['data_samples'].gt_depth_map.data
    assert depth.shape == (1, 6, 8)  # (H, W) after the MATLAB transpose
    assert float(depth.mean()) == pytest.approx(3.75)
    img = cv2.imread(str(out / 'official_splits/test/bathroom/rgb_00001.jpg'))
    assert img[...,
               2].mean() > 150 and img[..., 0].mean() < 50  # red stays red


def test_synthetic_depth_is_the_true_z_depth_of_the_room():
    room = dict(left=-2.0, right=2.0, ceiling=-1.2, floor=1.5, back=6.0,
                front=-1.0)
    scene = dict(room=room, objects=[], colours=np.full((6, 3), 128.0),
                 textures=np.zeros(6, int), frequencies=np.ones(6),
                 light=np.array([0, -1.0, 2.0]))
    h, w = 120, 160
    _, depth, _ = render(scene, np.zeros(3), np.eye(3), (h, w))
    fy, cy = NYU_INTRINSICS[1] * h / 480, NYU_INTRINSICS[3] * h / 480
    fx, cx = NYU_INTRINSICS[0] * w / 640, NYU_INTRINSICS[2] * w / 640
    # a pixel on the back wall, and one on the floor: z = floor * fy / (v - cy)
    v, u = int(cy), int(cx)
    assert depth[v, u] == pytest.approx(6.0, rel=1e-5)
    v = h - 1
    assert depth[v, u] == pytest.approx(1.5 * fy / (v + 0.5 - cy), rel=1e-5)
    u = 0  # left wall: z = -left * fx / (cx - u)
    assert depth[int(cy), u] == pytest.approx(2.0 * fx / (cx - 0.5), rel=1e-5)


def test_synthetic_set_is_deterministic_and_in_nyu_layout(tmp_path):
    def digest(root):
        h = hashlib.sha256()
        for dirpath, _, files in sorted(os.walk(root)):
            for name in sorted(files):
                h.update(name.encode())
                h.update(open(osp.join(dirpath, name), 'rb').read())
        return h.hexdigest()

    a, b = tmp_path / 'a', tmp_path / 'b'
    for root in (a, b):
        make_synthetic_nyu(str(root), train_scenes=2, test_scenes=1,
                           frames_per_scene=2, size=(24, 32))
    assert digest(a) == digest(b)
    test = build(data_root=str(a),
                 data_prefix=dict(img_path='official_splits/test'),
                 ann_file='nyudepthv2_test_files_with_gt.txt')
    assert len(test) == 2
    depth = test[0]['data_samples'].gt_depth_map.data
    assert 0.5 < float(depth.min()) and float(depth.max()) <= 10.0


def test_train_augmentations_follow_the_runs_seed():
    """The depth train pipeline's albumentations step (brightness/contrast,
    gamma, HSV) gives the same images for the same NumPy seed, which
    mmengine sets from ``randomness.seed`` in each data-loader worker, and
    other images for another; mmseg's ``Albu`` alone does not (albumentations
    2 seeds its own generator from the OS)."""
    from mmengine.config import Config
    from mmseg.registry import TRANSFORMS
    cfg = Config.fromfile(osp.join(REPO,
                                   'configs/_base_/datasets/nyu_depth_v2.py'))
    [albu] = [t for t in cfg.train_pipeline if 'Albu' in t['type']]
    rng = np.random.default_rng(0)
    images = [rng.integers(0, 255, (24, 32, 3), np.uint8) for _ in range(12)]

    def augment(transform, seed):
        np.random.seed(seed)
        return np.stack([transform.transform(dict(img=img.copy()))['img']
                         for img in images])

    with DefaultScope.overwrite_default_scope('mmxtkd'):
        seeded = TRANSFORMS.build(albu)
    assert type(seeded).__name__ == 'SeededAlbu'
    first = augment(seeded, 0)
    assert not np.array_equal(first, np.stack(images))  # it augments
    np.testing.assert_array_equal(augment(seeded, 0), first)
    assert not np.array_equal(augment(seeded, 1), first)
    plain = TRANSFORMS.build(dict(albu, type='mmseg.Albu'))
    assert not np.array_equal(augment(plain, 0), augment(plain, 0))


def test_depth_files_off_the_convention_are_named(tmp_path):
    """The configs' loader (LoadCheckedDepthAnnotation, from the NYUv2
    base): a 16-bit file loads in metres; an 8-bit PNG among them, a depth
    map of another size than its image, a map without a valid pixel, or a
    corrupt file is an error that names the file (and the image)."""
    from mmengine.config import Config
    base = Config.fromfile(osp.join(REPO,
                                    'configs/_base_/datasets/nyu_depth_v2.py'))
    load = [t for t in base.test_pipeline if 'Depth' in t['type']]
    assert load[0]['type'] == 'mmxtkd.LoadCheckedDepthAnnotation'
    folder = tmp_path / 'sync' / 'office_0001'
    write_frame(str(folder), '00000', np.full((12, 16), 2500))
    write_frame(str(folder), '00001', np.full((12, 16), 2500))
    cv2.imwrite(str(folder / 'sync_depth_00001.png'),
                np.full((12, 16), 250, np.uint8))  # 8-bit
    write_frame(str(folder), '00002', np.full((12, 16), 2500))
    cv2.imwrite(str(folder / 'sync_depth_00002.png'),
                np.full((10, 16), 2500, np.uint16))  # another size
    write_frame(str(folder), '00003', np.full((12, 16), 2500))
    (folder / 'sync_depth_00003.png').write_bytes(b'\x89PNG\r\n\x1a\nbroken')
    write_frame(str(folder), '00004', np.zeros((12, 16)))  # no valid pixel
    with DefaultScope.overwrite_default_scope('mmxtkd'):
        ds = NYUDepthV2Dataset(
            data_root=str(tmp_path), data_prefix=dict(img_path='sync'),
            pipeline=[dict(type='LoadImageFromFile'), *load,
                      dict(type='mmseg.PackSegInputs')])
    by_stem = {osp.basename(ds.get_data_info(i)['img_path']): i
               for i in range(len(ds))}
    depth = ds[by_stem['rgb_00000.jpg']]['data_samples'].gt_depth_map.data
    assert float(depth.mean()) == pytest.approx(2.5)
    with pytest.raises(ValueError, match=r'sync_depth_00001.png holds 2-D '
                       r'uint8 data; this data set stores one channel of '
                       r'uint16'):
        ds[by_stem['rgb_00001.jpg']]
    with pytest.raises(ValueError, match=r'sync_depth_00002.png is 16x10 but '
                       r'its image .*rgb_00002.jpg is 16x12'):
        ds[by_stem['rgb_00002.jpg']]
    with pytest.raises(ValueError, match=r'sync_depth_00003.png cannot be '
                       'decoded'):
        ds[by_stem['rgb_00003.jpg']]
    with pytest.raises(ValueError, match=r'sync_depth_00004.png \(image '
                       r'.*rgb_00004.jpg\) has no valid pixel: every value '
                       'is 0'):
        ds[by_stem['rgb_00004.jpg']]
