"""mmxtkd's FashionMNIST: the four idx .gz files read byte for byte (files
the tests write in the published format), classes cut and relabelled, a
seeded per-class subsample, and errors that name the file and the package
that provides it; the real files where Debian's package is installed."""
import gzip
import os.path as osp

import numpy as np
import pytest

from mmxtkd.datasets import FashionMNIST
from mmxtkd.datasets.fashion_mnist import DEBIAN_FOLDER, FILES


def write_idx(path, array: np.ndarray) -> None:
    """The idx format by hand: 0, 0, type 0x08 (ubyte), ndim, big-endian
    int32 sizes, the bytes; gzip-compressed."""
    header = bytes((0, 0, 8, array.ndim)) + np.asarray(
        array.shape, '>i4').tobytes()
    with gzip.open(path, 'wb') as f:
        f.write(header + array.astype(np.uint8).tobytes())


@pytest.fixture
def folder(tmp_path):
    rng = np.random.default_rng(0)
    for split, n in (('train', 60), ('test', 20)):
        labels = np.arange(n) % 10
        images = rng.integers(0, 256, (n, 28, 28))
        images[:, 0, 0] = np.arange(n)  # each image names its index
        write_idx(tmp_path / FILES[split][0], images)
        write_idx(tmp_path / FILES[split][1], labels)
    return tmp_path


def test_images_and_labels_are_the_files_bytes(folder):
    data = FashionMNIST(str(folder), split='test')
    assert len(data) == 20
    sample = data.get_data_info(13)
    assert sample['img'].shape == (28, 28) and sample['img'].dtype == np.uint8
    assert sample['img'][0, 0] == 13 and sample['gt_label'] == 3
    assert data.metainfo['classes'][9] == 'Ankle boot'


def test_classes_are_cut_and_relabelled_in_the_order_given(folder):
    data = FashionMNIST(str(folder), classes=(9, 5, 6))
    infos = [data.get_data_info(i) for i in range(len(data))]
    assert len(infos) == 18
    originals = [int(i['img'][0, 0]) % 10 for i in infos]
    assert [{9: 0, 5: 1, 6: 2}[o] for o in originals] == [
        i['gt_label'] for i in infos]
    assert data.metainfo['classes'] == ['Ankle boot', 'Sandal', 'Shirt']


def test_the_per_class_subsample_is_seeded(folder):
    def drawn(seed):
        data = FashionMNIST(str(folder), classes=(5, 6, 7, 8, 9),
                            per_class=2, seed=seed)
        return [int(data.get_data_info(i)['img'][0, 0])
                for i in range(len(data))]
    first = drawn(0)
    assert len(first) == 10 and first == drawn(0) and first != drawn(1)
    assert sorted(np.bincount([i % 10 for i in first])[5:]) == [2] * 5
    with pytest.raises(ValueError, match=r'class 5 \(Sandal\) has 6 images'):
        FashionMNIST(str(folder), classes=(5, ), per_class=7)


def test_a_missing_file_names_it_and_the_package(folder):
    (folder / FILES['train'][1]).unlink()
    with pytest.raises(FileNotFoundError,
                       match='train-labels-idx1-ubyte.gz missing.*'
                       'apt install dataset-fashion-mnist'):
        FashionMNIST(str(folder))
    FashionMNIST(str(folder), split='test')  # the other split is whole


@pytest.mark.parametrize('damage,message', [
    (lambda p: p.write_bytes(b'not gzip at all'), 'not a readable gzip'),
    (lambda p: p.write_bytes(gzip.compress(b'\0\0\x0d\x03' + bytes(12))),
     'not an idx file of unsigned bytes'),
    (lambda p: p.write_bytes(gzip.compress(gzip.decompress(
        p.read_bytes())[:-5])), 'needs'),
])
def test_a_corrupt_file_is_named(folder, damage, message):
    path = folder / FILES['test'][0]
    damage(path)
    with pytest.raises(ValueError, match=message) as err:
        FashionMNIST(str(folder), split='test')
    assert str(path) in str(err.value)


def test_images_and_labels_must_agree(folder):
    write_idx(folder / FILES['test'][1], np.arange(19) % 10)
    with pytest.raises(ValueError, match='20 images.*19 labels'):
        FashionMNIST(str(folder), split='test')


def test_bad_arguments_are_named(folder):
    for kwargs, message in ((dict(split='val'), 'split must be'),
                            (dict(classes=(3, 3)), 'distinct'),
                            (dict(classes=(10, )), 'distinct'),
                            (dict(per_class=0), 'positive')):
        with pytest.raises(ValueError, match=message):
            FashionMNIST(str(folder), **kwargs)


@pytest.mark.skipif(not osp.isdir(DEBIAN_FOLDER),
                    reason='Debian package dataset-fashion-mnist not here')
def test_the_real_files():
    data = FashionMNIST(split='test', classes=(5, 6, 7, 8, 9))
    assert len(data) == 5000
    assert np.bincount([data.get_data_info(i)['gt_label']
                        for i in range(len(data))]).tolist() == [1000] * 5
    assert len(FashionMNIST(per_class=40, classes=(5, 6, 7, 8, 9))) == 200


def test_scenes_place_items_and_label_their_bright_pixels(folder):
    """FashionScenes: every labelled pixel is a pixel of an item brighter
    than the threshold, labelled with its class + 1; the same seed gives
    the same scenes, another seed others."""
    from mmxtkd.datasets import FashionScenes
    scenes = FashionScenes(str(folder), split='train', classes=(5, 6),
                           scenes=6, seed=1, threshold=100)
    assert scenes.metainfo['classes'] == ['background', 'Sandal', 'Shirt']
    for index in range(6):
        sample = scenes.get_data_info(index)
        image, labels = sample['img'], sample['gt_seg_map']
        assert image.shape == labels.shape == (64, 64)
        assert sample['ori_shape'] == (64, 64)
        assert ((labels > 0) == (image > 100)).all()
        assert set(np.unique(labels)) <= {0, 1, 2}
        assert (labels > 0).any()  # at least one item a scene
    again = FashionScenes(str(folder), classes=(5, 6), scenes=6, seed=1,
                          threshold=100)
    other = FashionScenes(str(folder), classes=(5, 6), scenes=6, seed=2,
                          threshold=100)
    same = [np.array_equal(scenes.get_data_info(i)['img'],
                           again.get_data_info(i)['img']) for i in range(6)]
    differ = [np.array_equal(scenes.get_data_info(i)['img'],
                             other.get_data_info(i)['img']) for i in range(6)]
    assert all(same) and not all(differ)


def test_scene_labels_are_the_items_classes():
    """One class a label: scenes of class 6 images only are labelled 1
    where bright; of classes (6, 5) the 5s are 2."""
    import tempfile

    from mmxtkd.datasets import FashionScenes
    with tempfile.TemporaryDirectory() as root:
        images = np.zeros((20, 28, 28), np.uint8)
        labels = np.repeat([5, 6], 10)
        images[labels == 5, 5:20, 5:20] = 200  # a bright square: class 5
        images[labels == 6, 10:12, :] = 250  # a bright bar: class 6
        for split in FILES:
            write_idx(osp.join(root, FILES[split][0]), images)
            write_idx(osp.join(root, FILES[split][1]), labels)
        scenes = FashionScenes(root, classes=(6, 5), scenes=10, seed=0)
        for i in range(10):
            sample = scenes.get_data_info(i)
            image, label = sample['img'], sample['gt_seg_map']
            assert set(np.unique(label[image == 200])) == {2} or \
                not (image == 200).any()
            assert set(np.unique(label[image == 250])) == {1} or \
                not (image == 250).any()
            assert (label[image == 0] == 0).all()


def test_scenes_refuse_impossible_settings(folder):
    from mmxtkd.datasets import FashionScenes
    with pytest.raises(ValueError, match='scenes must be positive'):
        FashionScenes(str(folder), scenes=0)
    with pytest.raises(ValueError, match='at least 28'):
        FashionScenes(str(folder), cell=20)
