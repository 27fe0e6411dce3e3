"""Depth students: decoder outputs for the three encoders, the paper's block
structure, and the ViT converter against torchvision's own forward."""
import os.path as osp
import sys

import pytest
import torch
import torch.nn as nn
from mmengine.config import Config
from mmengine.registry import MODELS

from conftest import REPO
from mmxtkd.models.depth import (LightSkipDepthDecoder, SkipDepthDecoder,
                                 SkipDepthDecoderDW)
from mmxtkd.models.teachers import teacher_in_config
from mmxtkd.registry import build_in_own_scope

CONFIGS = osp.join(REPO, 'configs')


def student(name):
    cfg = Config.fromfile(osp.join(CONFIGS, name)).model
    model = build_in_own_scope(MODELS, cfg.student)
    model.eval()
    return model, cfg.student_channels


@pytest.mark.parametrize('name, z_channels', [
    ('_base_/models/depth_mbv2-0.5_decoder.py', 1280),
    ('_base_/models/depth_effb0_decoder.py', 1280),
    ('_base_/models/depth_r50_decoder.py', 2048),
])
def test_decoder_output_for_each_encoder(name, z_channels):
    model, channels = student(name)
    x = torch.randn(2, 3, 64, 96)
    with torch.no_grad():
        feats = model.backbone(x)
        depth = model(x, mode='tensor')
        pred = model.predict(x)
    assert channels == z_channels == feats[-1].shape[1]
    assert feats[-1].shape[-2:] == (2, 3)  # Z_s: stride 32
    assert depth.shape == (2, 1, 64, 96)  # six blocks: stride 32 -> 1
    assert ((depth > 0) & (depth < 10)).all()
    assert pred[0].pred_depth_map.data.shape == (1, 64, 96)


def test_light_decoder_ends_at_stride_4_and_predicts_full_size():
    model, _ = student('depth/mbv2-ulight4b_baseline.py')
    x = torch.randn(1, 3, 64, 96)
    with torch.no_grad():
        assert model(x, mode='tensor').shape == (1, 1, 16, 24)
        assert model.predict(x)[0].pred_depth_map.data.shape == (1, 64, 96)


def test_block_structure_matches_the_paper():
    enc = [8, 16, 16, 48, 160, 1280]
    dec = SkipDepthDecoder(enc)
    assert len(dec.blocks) == 6 and isinstance(dec.stem, nn.Conv2d)
    assert dec.stem.kernel_size == (1, 1)
    kinds = [type(m).__name__ for m in dec.blocks[0]]
    assert kinds == ['LeakyReLU', 'Conv2d', 'LeakyReLU', 'Conv2d']
    # each block's input = previous features + the skip (coarse to fine)
    assert dec.blocks[0][1].in_channels == 128 + 1280
    assert dec.blocks[1][1].in_channels == 128 + 160
    assert dec.blocks[5][1].in_channels == 32 + 8
    dw = SkipDepthDecoderDW(enc)
    assert dw.blocks[2][3].groups == dw.blocks[2][3].out_channels == 64
    light = LightSkipDepthDecoder(enc)
    assert len(light.blocks) == 4
    assert [type(m).__name__
            for m in light.blocks[0]] == ['LeakyReLU', 'Conv2d']


def test_decoder_names_wrong_encoder_channels():
    dec = SkipDepthDecoder([8, 16])
    with pytest.raises(ValueError, match='has 12 channels, expected 16'):
        dec((torch.randn(1, 8, 8, 8), torch.randn(1, 12, 4, 4)))
    with pytest.raises(ValueError, match='expects 2 encoder maps, got 1'):
        dec((torch.randn(1, 8, 8, 8), ))


def test_vit_converter_reproduces_torchvision_features(tmp_path):
    from torchvision.models import vit_b_16
    sys.path.insert(0, osp.join(REPO, 'tools', 'model_converters'))
    from vit_torchvision_to_mmpretrain import convert_vit

    from mmxtkd.models import FrozenTeacher

    torch.manual_seed(0)
    tv = vit_b_16()
    tv.eval()
    path = tmp_path / 'vit_b_16_torchvision.pth'
    torch.save(tv.state_dict(), path)  # the layout torchvision's hub file has
    out = tmp_path / 'vit_mmpretrain.pth'
    import subprocess
    subprocess.run([sys.executable, osp.join(
        REPO, 'tools/model_converters/vit_torchvision_to_mmpretrain.py'),
        str(path), str(out)], check=True, capture_output=True)
    teacher = FrozenTeacher(
        dict(type='mmpretrain.VisionTransformer', arch='b', img_size=224,
             patch_size=16, out_type='featmap', final_norm=True),
        checkpoint=str(out))
    x = torch.randn(1, 3, 224, 224)
    with torch.no_grad():
        tokens = tv.encoder(torch.cat(
            [tv.class_token.expand(1, -1, -1), tv._process_input(x)], 1))
    expected = tokens[:, 1:].transpose(1, 2).reshape(1, 768, 14, 14)
    torch.testing.assert_close(teacher(x), expected, atol=1e-4, rtol=1e-4)
    with pytest.raises(KeyError, match='unexpected key'):
        convert_vit({'encoder.something_else': torch.zeros(1)})


def test_depth_teacher_loads_a_checkpoint_of_the_r50_baseline(tmp_path):
    """The same-task teacher: a runner checkpoint of configs/depth/r50_baseline
    loads into configs/_base_/teachers/r50-depth.py's FrozenTeacher."""
    from mmxtkd.models import FrozenTeacher
    cfg = Config.fromfile(osp.join(REPO, 'configs/depth/r50_baseline.py'))
    baseline = build_in_own_scope(MODELS, cfg.model)
    for p in baseline.parameters():
        nn.init.normal_(p, std=0.01)
    path = tmp_path / 'depth_r50_nyu.pth'
    torch.save(dict(meta=dict(iter=1), state_dict=baseline.state_dict()), path)
    teacher_cfg = teacher_in_config(Config.fromfile(
        osp.join(REPO, 'configs/_base_/teachers/r50-depth.py')))
    args = {k: v for k, v in teacher_cfg.items() if k != 'type'}
    args['checkpoint'] = str(path)
    teacher = FrozenTeacher(**args)
    baseline.eval()
    x = torch.randn(1, 3, 64, 64)
    with torch.no_grad():
        expected = baseline.student.backbone(x)[-1]
    torch.testing.assert_close(teacher(x), expected)
