"""Supplementary 6.7's model: a frozen instance-segmentation encoder, linear
maps, a frozen depth decoder; only the linear maps learn."""
import os.path as osp

import pytest
import torch
import torch.nn.functional as F
from mmengine.config import Config
from mmengine.optim import build_optim_wrapper
from mmengine.registry import MODELS
from mmengine.structures import PixelData
from mmseg.structures import SegDataSample

from conftest import REPO
from mmxtkd.models import LinearlyBridgedEncoder
from mmxtkd.registry import build_in_own_scope

CONFIG = osp.join(
    REPO, 'configs/depth/linear-bridge_maskrcnn-insseg-encoder_r50-depth-'
    'decoder.py')


@pytest.fixture(scope='module')
def cfg():
    cfg = Config.fromfile(CONFIG)
    # random weights: tests/test_configs.py loads the real files
    cfg.model.student.backbone.encoder.checkpoint = None
    cfg.model.student.decode_head.init_cfg = None
    return cfg


def samples(n, size):
    out = []
    for _ in range(n):
        sample = SegDataSample(gt_depth_map=PixelData(
            data=torch.rand(1, *size) * 9 + 0.5))
        sample.set_metainfo(dict(img_shape=size, pad_shape=size))
        out.append(sample)
    return out


def test_only_the_linear_maps_learn(cfg):
    torch.manual_seed(0)
    model = build_in_own_scope(MODELS, cfg.model)
    model.init_weights()
    bridge = model.student.backbone
    optim = build_optim_wrapper(model, cfg.optim_wrapper)
    # the encoder is outside the module tree (FrozenTeacher): no parameter
    # of it reaches the optimizer
    names = [n for n, _ in model.named_parameters()]
    assert any(n.startswith('student.backbone.maps.') for n in names)
    assert all(n.startswith(('student.backbone.maps.', 'student.decode_head.'))
               for n in names)
    decoder = {n: p.detach().clone()
               for n, p in model.student.decode_head.named_parameters()}
    maps = [m.weight.detach().clone() for m in bridge.maps]
    encoder = [p.detach().clone() for p in bridge.encoder.encoder.parameters()]
    x = torch.randn(2, 3, 64, 96)
    losses = model.loss(x, samples(2, (64, 96)))
    optim.update_params(sum(losses.values()))
    for name, p in model.student.decode_head.named_parameters():
        assert torch.equal(p, decoder[name]), name  # lr_mult 0, decay 0
    assert all(not torch.equal(m.weight, w) for m, w in zip(bridge.maps, maps))
    for p, before in zip(bridge.encoder.encoder.parameters(), encoder):
        assert p.grad is None and torch.equal(p, before)


def test_forward_is_decoder_of_linear_maps_of_encoder(cfg):
    """Against mmdet's own ResNet-50 stages and F.conv2d by hand."""
    torch.manual_seed(0)
    model = build_in_own_scope(MODELS, cfg.model).eval()
    bridge = model.student.backbone
    x = torch.randn(1, 3, 64, 96)
    with torch.no_grad():
        stages = bridge.encoder.encoder(x)  # mmdet ResNet: strides 4..32
        mapped = [F.conv2d(s, m.weight, m.bias)
                  for s, m in zip(stages, bridge.maps)]
        expected = model.student.decode_head(mapped)
        ours = model.student.decode_head(bridge(x))
    assert [s.shape[1] for s in stages] == [256, 512, 1024, 2048]
    torch.testing.assert_close(ours, expected)


def test_channel_mismatch_is_named():
    with pytest.raises(ValueError, match='differ in length'):
        LinearlyBridgedEncoder(dict(type='mmxtkd.FrozenTeacher', model=dict(
            type='mmpretrain.ResNet', depth=18)), [64], [64, 128])
    bridge = LinearlyBridgedEncoder(
        dict(type='mmxtkd.FrozenTeacher',
             model=dict(type='mmpretrain.ResNet', depth=18,
                        out_indices=(0, 1, 2, 3)), out_index=(2, 3)),
        in_channels=[256, 1024], out_channels=[8, 8])
    with pytest.raises(ValueError, match=r'maps of \[256, 512\] channels; '
                       r'the linear maps take \[256, 1024\]'):
        bridge(torch.randn(1, 3, 32, 32))
