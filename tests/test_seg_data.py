"""Segmentation data: the synthetic ADE20K-layout set, COCO's 80-class label
maps from instance annotations, and the checked label loading."""
import json
import os.path as osp

import cv2
import numpy as np
import pytest
from mmengine.registry import init_default_scope

from conftest import REPO, run_script
from mmxtkd.datasets import (COCOSemantic80Dataset, LoadCheckedSegAnnotations,
                             instances_to_label_maps, make_synthetic_ade)
from mmxtkd.datasets.coco_semantic80 import COCO80_CLASSES
from mmxtkd.datasets.synthetic_depth import NYU_INTRINSICS, render
from mmxtkd.datasets.synthetic_seg import SYNTHETIC_SEG_CLASSES, surface_labels


def test_synthetic_labels_are_the_surfaces_hit():
    """An empty room seen straight on: ceiling above, floor below, walls
    left, right and ahead; a sphere in the middle of the view."""
    room = dict(left=-2.0, right=2.0, ceiling=-1.2, floor=1.5, back=6.0,
                front=-1.0)
    sphere = dict(kind='sphere', centre=np.array([0.0, 0.0, 3.0]), radius=0.5)
    scene = dict(room=room, objects=[sphere], colours=np.full((7, 3), 128.0),
                 textures=np.zeros(7, int), frequencies=np.ones(7),
                 light=np.array([0, -1.0, 2.0]))
    h, w = 120, 160
    _, depth, surface = render(scene, np.zeros(3), np.eye(3), (h, w))
    labels = surface_labels(scene, surface)
    cls = {name: i + 1 for i, name in enumerate(SYNTHETIC_SEG_CLASSES)}
    cx, cy = NYU_INTRINSICS[2] * w / 640, NYU_INTRINSICS[3] * h / 480
    assert labels[int(cy), int(cx)] == cls['sphere']
    assert depth[int(cy), int(cx)] == pytest.approx(2.5, rel=1e-3)
    assert labels[0, int(cx)] == cls['ceiling']
    assert labels[h - 1, int(cx)] == cls['floor']
    assert labels[int(cy), 0] == labels[int(cy), w - 1] == cls['wall']
    assert labels[int(cy), int(cx) - 30] == cls['wall']  # the back wall
    # the sphere's pixels are those whose ray passes within its radius
    fx = NYU_INTRINSICS[0] * w / 640
    fy = NYU_INTRINSICS[1] * h / 480
    v, u = np.mgrid[0:h, 0:w] + 0.5
    d = np.stack([(u - cx) / fx, (v - cy) / fy, np.ones_like(u)], -1)
    d /= np.linalg.norm(d, axis=-1, keepdims=True)
    miss = np.linalg.norm(np.cross(d, sphere['centre']), axis=-1)
    np.testing.assert_array_equal(labels == cls['sphere'], miss < 0.5)


def test_synthetic_set_is_deterministic_and_in_ade20k_layout(tmp_path):
    a, b = tmp_path / 'a', tmp_path / 'b'
    for root in (a, b):
        counts = make_synthetic_ade(str(root), train_scenes=2, val_scenes=1,
                                    frames_per_scene=2, size=(24, 32))
    assert counts == dict(training=4, validation=2)
    for split, stem in (('training', 'ADE_train_00000004'),
                        ('validation', 'ADE_val_00000002')):
        for sub, ext in (('images', '.jpg'), ('annotations', '.png')):
            pa = a / sub / split / (stem + ext)
            assert pa.read_bytes() == (b / sub / split /
                                       (stem + ext)).read_bytes()
        label = cv2.imread(
            str(a / 'annotations' / split / (stem + '.png')), -1)
        assert label.shape == (24, 32) and label.dtype == np.uint8
        assert 1 <= label.min() and label.max() <= len(SYNTHETIC_SEG_CLASSES)


def test_texture_labels_are_each_surfaces_texture(tmp_path):
    """labels='textures': the same images as the surface labels of the same
    seed, each pixel labelled with its surface's texture kind + 1."""
    from mmxtkd.datasets import SYNTHETIC_TEXTURE_CLASSES
    args = dict(train_scenes=2, val_scenes=1, frames_per_scene=2,
                size=(24, 32))
    make_synthetic_ade(str(tmp_path / 's'), **args)
    make_synthetic_ade(str(tmp_path / 't'), labels='textures', **args)
    stem = ('training', 'ADE_train_00000003')
    image = [(tmp_path / r / 'images' / stem[0] / (stem[1] + '.jpg'))
             .read_bytes() for r in 'st']
    assert image[0] == image[1]
    surfaces, textures = (cv2.imread(str(
        tmp_path / r / 'annotations' / stem[0] / (stem[1] + '.png')), -1)
        for r in 'st')
    assert 1 <= textures.min() and textures.max() <= len(
        SYNTHETIC_TEXTURE_CLASSES)
    # the textures are not the surface classes renamed
    assert len(np.unique(textures)) > 1
    assert not np.array_equal(surfaces, textures)
    with pytest.raises(ValueError, match="'surfaces' or 'textures'"):
        make_synthetic_ade(str(tmp_path / 'x'), labels='depth', **args)


# -- checked label loading ------------------------------------------------
def write(path, array):
    cv2.imwrite(str(path), array)
    return str(path)


def load(img, seg, num_classes=5, reduce_zero_label=True):
    init_default_scope('mmseg')
    from mmcv.transforms import LoadImageFromFile
    results = LoadImageFromFile()(dict(img_path=img))
    results.update(seg_map_path=seg, reduce_zero_label=reduce_zero_label,
                   seg_fields=[])
    return LoadCheckedSegAnnotations(num_classes=num_classes)(results)


def test_checked_labels_load_as_mmseg_does(tmp_path):
    img = write(tmp_path / 'a.jpg', np.zeros((4, 6, 3), np.uint8))
    raw = np.array([[0, 1, 5, 5, 2, 3]] * 4, np.uint8)
    out = load(img, write(tmp_path / 'a.png', raw))
    # ADE20K's convention: 0 -> ignored (255), i -> i - 1
    np.testing.assert_array_equal(out['gt_seg_map'][0], [255, 0, 4, 4, 1, 2])
    out = load(img, write(tmp_path / 'b.png', np.full((4, 6), 255, np.uint8)),
               reduce_zero_label=False)
    assert (out['gt_seg_map'] == 255).all()  # the ignore index is allowed


def test_bad_label_maps_are_named(tmp_path):
    img = write(tmp_path / 'a.jpg', np.zeros((4, 6, 3), np.uint8))
    small = write(tmp_path / 'small.png', np.ones((4, 5), np.uint8))
    with pytest.raises(ValueError, match=r'small.png is 4x5 but its image '
                       r'.*a.jpg is 4x6'):
        load(img, small)
    high = write(tmp_path / 'high.png', np.array([[1, 7, 9, 1, 1, 1]] * 4,
                                                 np.uint8))
    with pytest.raises(ValueError, match=r'high.png holds labels \[6, 8\] '
                       r'outside \[0, 5\)'):
        load(img, high)
    with pytest.raises(FileNotFoundError,
                       match=r'annotation .*gone.png of image .*a.jpg is '
                       'missing'):
        load(img, str(tmp_path / 'gone.png'))
    colour = write(tmp_path / 'colour.png', np.ones((4, 6, 3), np.uint8))
    with pytest.raises(ValueError, match=r'colour.png has shape \(4, 6, 3\)'):
        load(img, colour)
    # 16-bit: 300 would be read as 44, a valid class of ADE20K
    wide = write(tmp_path / 'wide.png', np.array([[1, 300, 2, 1, 1, 1]] * 4,
                                                 np.uint16))
    with pytest.raises(ValueError, match=r'wide.png of image .*a.jpg is a '
                       r'uint16 map with labels above 255 \(\[300\], up to '
                       r'300\).*\(300 -> 44\)'):
        load(img, wide, num_classes=150)
    # a 16-bit file whose labels fit in 8 bits loads as the 8-bit one
    narrow = write(tmp_path / 'narrow.png', np.array([[1, 3, 2, 1, 1, 1]] * 4,
                                                     np.uint16))
    np.testing.assert_array_equal(load(img, narrow)['gt_seg_map'][0],
                                  [0, 2, 1, 0, 0, 0])
    (tmp_path / 'corrupt.png').write_bytes(b'\x89PNG\r\n not really')
    with pytest.raises(ValueError, match='corrupt.png of image .* cannot be '
                       'read as a label map'):
        load(img, str(tmp_path / 'corrupt.png'))


# -- COCO as 80-class semantic segmentation --------------------------------
def coco_instances(path):
    """Two 10x12 images: a person box with a smaller toothbrush on top and
    a crowd car (RLE); and an image without instances."""
    categories = [dict(id=i, name=n) for i, n in zip(
        [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 14, 15, 16, 17, 18, 19, 20,
         21, 22, 23, 24, 25, 27, 28, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40,
         41, 42, 43, 44, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58,
         59, 60, 61, 62, 63, 64, 65, 67, 70, 72, 73, 74, 75, 76, 77, 78, 79,
         80, 81, 82, 84, 85, 86, 87, 88, 89, 90], COCO80_CLASSES)]
    car = np.zeros((10, 12), np.uint8)
    car[7:10, 0:3] = 1
    # uncompressed RLE, column-major runs starting with zeros
    flat, counts, value, run = car.flatten(order='F'), [], 0, 0
    for x in flat:
        if x == value:
            run += 1
        else:
            counts.append(run)
            value, run = x, 1
    counts.append(run)
    data = dict(
        images=[dict(id=1, file_name='000000000001.jpg', height=10, width=12),
                dict(id=2, file_name='000000000002.jpg', height=10, width=12)],
        categories=categories,
        annotations=[
            # polygons: x, y pairs; pixel (r, c) is inside when its centre is
            dict(id=1, image_id=1, category_id=1, iscrowd=0, area=48.0,
                 segmentation=[[2, 1, 10, 1, 10, 7, 2, 7]]),
            dict(id=2, image_id=1, category_id=90, iscrowd=0, area=4.0,
                 segmentation=[[4, 2, 6, 2, 6, 4, 4, 4]]),
            dict(id=3, image_id=1, category_id=3, iscrowd=1, area=9.0,
                 segmentation=dict(counts=counts, size=[10, 12])),
        ])
    with open(path, 'w') as f:
        json.dump(data, f)


def test_coco_instances_become_80_class_label_maps(tmp_path):
    ann = tmp_path / 'instances_val2017.json'
    coco_instances(ann)
    info = instances_to_label_maps(str(ann), str(tmp_path / 'out'))
    assert info['images'] == 2 and info['annotations'] == 3
    label = cv2.imread(str(tmp_path / 'out' / '000000000001.png'), -1)
    expected = np.full((10, 12), 255, np.uint8)
    expected[1:7, 2:10] = 0  # person (id 1)
    expected[2:4, 4:6] = 79  # toothbrush (id 90), the smaller, on top
    expected[7:10, 0:3] = 2  # car (id 3), crowd RLE
    np.testing.assert_array_equal(label, expected)
    empty = cv2.imread(str(tmp_path / 'out' / '000000000002.png'), -1)
    assert (empty == 255).all()  # no instance: nothing scored, not missing
    assert info['unlabelled_fraction'] == pytest.approx(
        (expected == 255).sum() / 240 + 0.5)


def test_coco_converter_writes_the_layout_the_dataset_reads(tmp_path):
    root = tmp_path / 'coco'
    (root / 'annotations').mkdir(parents=True)
    (root / 'val2017').mkdir()
    coco_instances(root / 'annotations' / 'instances_val2017.json')
    for i in (1, 2):
        write(root / 'val2017' / f'00000000000{i}.jpg',
              np.zeros((10, 12, 3), np.uint8))
    out = run_script(
        osp.join(REPO, 'tools/dataset_converters/coco_semantic80.py'), root,
        '--splits', 'val2017')
    assert 'val2017: 2 label maps from 3 instances' in out
    init_default_scope('mmseg')
    dataset = COCOSemantic80Dataset(
        data_root=str(root),
        data_prefix=dict(
            img_path='val2017', seg_map_path='semantic80/val2017'),
        pipeline=[
            dict(type='LoadImageFromFile'),
            dict(type='mmxtkd.LoadCheckedSegAnnotations', num_classes=80),
            dict(type='mmseg.PackSegInputs')
        ])
    assert len(
        dataset) == 2 and dataset.metainfo['classes'][79] == 'toothbrush'
    seg = dataset[0]['data_samples'].gt_sem_seg.data[0].numpy()
    assert seg[3, 5] == 79 and seg[5, 3] == 0 and seg[8, 1] == 2
    assert seg[0, 0] == 255

    with pytest.raises(FileNotFoundError, match='train2017 does not exist.*'
                       'coco_semantic80.py'):
        COCOSemantic80Dataset(data_root=str(root),
                              data_prefix=dict(img_path='train2017'))
    other = json.loads(
        (root / 'annotations/instances_val2017.json').read_text())
    other['categories'] = other['categories'][:20]
    (root / 'voc.json').write_text(json.dumps(other))
    with pytest.raises(ValueError, match='its 20 categories are not the 80'):
        instances_to_label_maps(str(root / 'voc.json'), str(tmp_path / 'x'))
