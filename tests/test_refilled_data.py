"""REFILLED's data sets on trees the tests write in the real layouts."""
import pytest

from mmxtkd.datasets import CheckedCIFAR100, CUBClassSplit
from refilled_data import write_cifar100_tree, write_cub_tree


@pytest.fixture(scope='module')
def cub(tmp_path_factory):
    return write_cub_tree(str(tmp_path_factory.mktemp('cub')))


def test_the_cub_halves_are_disjoint_relabelled_and_cover_200(cub):
    halves = [CUBClassSplit(cub, class_range=r, split=s, pipeline=[])
              for r in ((0, 100), (100, 200)) for s in ('train', 'test')]
    paths = [{d['img_path'] for d in h.load_data_list()} for h in halves]
    species = [{p.split('/')[-2] for p in ps} for ps in paths]
    assert species[0] == species[1] and species[2] == species[3]
    assert not species[0] & species[2]
    assert len(species[0] | species[2]) == 200
    for half in halves:
        labels = sorted({d['gt_label'] for d in half.load_data_list()})
        assert labels == list(range(100))
        assert len(half.metainfo['classes']) == 100
    # the student's label 0 is CUB's class 101
    first = [d for d in halves[2].load_data_list() if d['gt_label'] == 0]
    assert all('/101.Species_101/' in d['img_path'] for d in first)
    assert halves[2].metainfo['classes'][0] == \
        CUBClassSplit.METAINFO['classes'][100]
    assert len(halves[0]) == 200 and len(halves[1]) == 100


def test_a_cub_range_outside_the_classes_is_refused(cub):
    with pytest.raises(ValueError, match=r'class_range \(150, 201\)'):
        CUBClassSplit(cub, class_range=(150, 201))


def test_cifar100_reads_the_pickles_and_names_what_is_missing(tmp_path):
    root = write_cifar100_tree(str(tmp_path / 'cifar'))
    data = CheckedCIFAR100(data_root=root, check_md5=False, pipeline=[])
    assert len(data) == 200 and data[0]['img'].shape == (32, 32, 3)
    assert len(data.metainfo['classes']) == 100
    # the tests' files are not the published ones: md5 checked by default
    with pytest.raises(FileNotFoundError, match='and their md5 sums'):
        CheckedCIFAR100(data_root=root, pipeline=[]).full_init()
    with pytest.raises(FileNotFoundError, match=r'CIFAR-100 is not in .*'
                       r'nowhere/cifar-100-python .*download https'):
        CheckedCIFAR100(data_root=str(tmp_path / 'nowhere'),
                        pipeline=[]).full_init()


def test_the_digits_demo_splits_real_digits_by_class(tmp_path):
    import cv2
    from mmpretrain.datasets import CustomDataset
    from sklearn.datasets import load_digits

    from mmxtkd.datasets import make_digits_class_split
    counts = make_digits_class_split(str(tmp_path), student_per_class=10)
    total = len(load_digits().target)  # 1797, scikit-learn's own data
    assert sum(counts.values()) == total
    assert counts['student/train'] == 50
    folders = {side: sorted(p.name for p in (tmp_path / side / 'train')
                            .iterdir()) for side in ('teacher', 'student')}
    assert folders == {'teacher': ['0', '1', '2', '3', '4'],
                       'student': ['5', '6', '7', '8', '9']}
    # mmpretrain's folder data set labels each side's digits from 0
    data = CustomDataset(data_root=str(tmp_path / 'student'),
                         data_prefix='train', pipeline=[])
    assert sorted({d['gt_label'] for d in data.load_data_list()}) == \
        [0, 1, 2, 3, 4]
    img = cv2.imread(data.load_data_list()[0]['img_path'],
                     cv2.IMREAD_UNCHANGED)
    assert img.shape == (32, 32) and img.dtype == 'uint8' and img.max() > 200
    # no image is both a training and a test image
    for side in ('teacher', 'student'):
        train, test = ({(p.parent.name, p.name)
                        for p in (tmp_path / side / split).rglob('*.png')}
                       for split in ('train', 'test'))
        assert train and test and not train & test
