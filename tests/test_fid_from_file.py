"""FID's Inception from a local pytorch-fid file: the right weights in the
right places, and named errors instead of a download."""
import pytest
import torch
import torch.nn.functional as F
from mmagic.evaluation.functional.fid_inception import fid_inception_v3

from mmxtkd.evaluation.editing import TransFIDFromFile, inception_from_file


@pytest.fixture(scope='module')
def fid_file(tmp_path_factory):
    """A pytorch-fid Inception in its file's layout (random weights)."""
    torch.manual_seed(0)
    net = fid_inception_v3(load_ckpt=False).eval()
    path = tmp_path_factory.mktemp(
        'fid') / 'pt_inception-2015-12-05-6726825d.pth'
    torch.save(net.state_dict(), path)
    return net, str(path)


def test_pool_features_equal_the_fid_inception_run_layer_by_layer(fid_file):
    net, path = fid_file
    model = inception_from_file(path)
    x = torch.rand(2, 3, 299, 299) * 2 - 1
    with torch.no_grad():
        ours = model(x)[0]
        y = x
        for name in ('Conv2d_1a_3x3', 'Conv2d_2a_3x3', 'Conv2d_2b_3x3',
                     'maxpool1', 'Conv2d_3b_1x1', 'Conv2d_4a_3x3', 'maxpool2',
                     'Mixed_5b', 'Mixed_5c', 'Mixed_5d', 'Mixed_6a',
                     'Mixed_6b', 'Mixed_6c', 'Mixed_6d', 'Mixed_6e',
                     'Mixed_7a', 'Mixed_7b', 'Mixed_7c'):
            y = getattr(net, name)(y)
        expected = F.adaptive_avg_pool2d(y, 1)
    assert ours.shape == (2, 2048, 1, 1)
    torch.testing.assert_close(ours, expected)


def test_missing_or_wrong_files_are_named(fid_file, tmp_path):
    with pytest.raises(FileNotFoundError, match=r'gone.pth\. Download '
                       r"pytorch-fid's file from https://.*pt_inception"):
        TransFIDFromFile(inception_file=str(tmp_path / 'gone.pth'),
                         fake_nums=4, fake_key='fake_photo',
                         real_key='img_photo')
    from torchvision.models import resnet18
    torch.save(resnet18().state_dict(), tmp_path / 'resnet18.pth')
    with pytest.raises(RuntimeError, match="resnet18.pth is not pytorch-fid's "
                       'Inception weights'):
        inception_from_file(str(tmp_path / 'resnet18.pth'))
    with pytest.raises(ValueError, match="inception_style='PyTorch'"):
        TransFIDFromFile(inception_file=fid_file[1], fake_nums=4,
                         inception_style='StyleGAN')
    metric = TransFIDFromFile(inception_file=fid_file[1], fake_nums=4,
                              fake_key='fake_photo', real_key='img_photo')
    assert metric.inception_style == 'pytorch'


def test_cached_real_statistics_are_keyed_by_the_weights_file(fid_file,
                                                              tmp_path):
    """mmagic caches the real images' Inception statistics under a key made
    from the data set and the metric: other weights must give another key."""
    from types import SimpleNamespace

    from mmagic.evaluation.functional.inception_utils import \
        get_inception_feat_cache_name_and_args
    from torch.utils.data import Dataset
    dataset = Dataset()
    dataset.__dict__.update(data_root='data/x', data_prefix={}, metainfo={},
                            pipeline=[])
    loader = SimpleNamespace(dataset=dataset)
    net, _ = fid_file
    path = str(tmp_path / 'pt_inception-2015-12-05-6726825d.pth')

    def cache_name():
        metric = TransFIDFromFile(inception_file=path, fake_nums=4,
                                  fake_key='fake_photo', real_key='img_photo')
        return get_inception_feat_cache_name_and_args(loader, metric, -1,
                                                      True, False)[0]
    state = net.state_dict()
    torch.save(state, path)
    first = cache_name()
    assert cache_name() == first
    # other weights in the same file
    state['Conv2d_1a_3x3.conv.weight'] = state['Conv2d_1a_3x3.conv.weight'] + 1
    torch.save(state, path)
    assert cache_name() != first
