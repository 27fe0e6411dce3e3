"""TorchvisionFeatures: torchvision models by name as frozen teachers, loading
the files torchvision's hub serves (written here from random models)."""
import os.path as osp

import pytest
import torch
from mmengine.config import Config

from conftest import REPO
from mmxtkd.models import FrozenTeacher, TorchvisionFeatures
from mmxtkd.models.teachers import teacher_in_config
from source_checkpoints import convert, keypoint_rcnn_coco


def teacher(name, node, checkpoint=None, **kwargs):
    return FrozenTeacher(
        dict(type='mmxtkd.TorchvisionFeatures', name=name, node=node,
             **kwargs.pop('model_kwargs', {})),
        checkpoint=checkpoint, **kwargs)


def test_resnet50_layer4_equals_torchvision(tmp_path):
    from torchvision.models import resnet50
    torch.manual_seed(0)
    src = resnet50().eval()
    torch.save(src.state_dict(), tmp_path / 'resnet50-0676ba61.pth')
    ours = teacher('resnet50', 'layer4',
                   str(tmp_path / 'resnet50-0676ba61.pth'))
    x = torch.randn(2, 3, 64, 96)
    with torch.no_grad():
        stem = src.maxpool(src.relu(src.bn1(src.conv1(x))))
        expected = src.layer4(src.layer3(src.layer2(src.layer1(stem))))
    torch.testing.assert_close(ours(x), expected)
    assert list(ours.parameters()) == []  # frozen: outside the module tree
    ours.train()
    assert not ours.encoder.training


def test_deeplabv3_encoder_is_the_dilated_backbone(tmp_path):
    """The COCO-VOC file has 21 classes and the auxiliary head."""
    from torchvision.models.segmentation import deeplabv3_resnet50
    torch.manual_seed(0)
    src = deeplabv3_resnet50(weights=None, weights_backbone=None,
                             num_classes=21, aux_loss=True).eval()
    path = tmp_path / 'deeplabv3_resnet50_coco-cd0a2569.pth'
    torch.save(src.state_dict(), path)
    # weights_backbone=None is the adapter's own: nothing is downloaded
    ours = teacher('deeplabv3_resnet50', 'backbone.layer4', str(path),
                   model_kwargs=dict(num_classes=21, aux_loss=True))
    x = torch.randn(1, 3, 64, 64)
    with torch.no_grad():
        expected = src.backbone(x)['out']
    out = ours(x)
    assert out.shape == (1, 2048, 8, 8)  # output stride 8
    torch.testing.assert_close(out, expected)


def test_vit_b16_equals_the_converted_mmpretrain_teacher(tmp_path):
    """The classification teacher two ways: torchvision's file as it is, or
    converted to mmpretrain (configs/_base_/teachers/vitb-cls.py)."""
    from torchvision.models import vit_b_16
    torch.manual_seed(0)
    path = tmp_path / 'vit_b_16-c867db91.pth'
    torch.save(vit_b_16().state_dict(), path)
    convert('vit_torchvision_to_mmpretrain.py', path, tmp_path / 'vit.pth')
    cfg = teacher_in_config(Config.fromfile(osp.join(
        REPO, 'configs/_base_/teachers/vitb-cls.py')))
    cfg.pop('type')
    converted = FrozenTeacher(**dict(
        cfg, checkpoint=str(tmp_path / 'vit.pth'), input_size=(224, 224)))
    ours = teacher('vit_b_16', 'encoder', str(path), input_size=(224, 224))
    x = torch.randn(2, 3, 112, 160)  # resized to ViT's 224 by both
    torch.testing.assert_close(ours(x), converted(x), atol=1e-4, rtol=1e-4)
    assert ours(x).shape == (2, 768, 14, 14)


def test_random_teacher_is_seeded():
    a = teacher('resnet18', 'layer3', init_seed=3)
    b = teacher('resnet18', 'layer3', init_seed=3)
    c = teacher('resnet18', 'layer3', init_seed=4)
    x = torch.randn(1, 3, 32, 32)
    assert torch.equal(a(x), b(x)) and not torch.equal(a(x), c(x))


def test_bad_names_and_files_are_named(tmp_path):
    with pytest.raises(ValueError, match=r"no graph node 'layer9'.*layer4"):
        TorchvisionFeatures('resnet50', 'layer9')
    with pytest.raises(ValueError, match="no model 'resnet5O'"):
        TorchvisionFeatures('resnet5O', 'layer4')
    from torchvision.models import resnet18
    torch.save(resnet18().state_dict(), tmp_path / 'resnet18.pth')
    with pytest.raises(RuntimeError,
                       match=r'resnet18.pth does not fit the teacher model '
                       r'TorchvisionFeatures: .* shape mismatches'):
        teacher('resnet50', 'layer4', str(tmp_path / 'resnet18.pth'))
    with pytest.raises(ValueError, match='downloads nothing: drop weights='):
        TorchvisionFeatures('resnet50', 'layer4', weights='DEFAULT')
    with pytest.raises(ValueError, match='drop weights_backbone='):
        TorchvisionFeatures('deeplabv3_resnet50', 'backbone.layer4',
                            weights_backbone='DEFAULT')


def test_keypoint_rcnn_backbone_equals_torchvision_with_its_weights(tmp_path):
    """The COCO_V1 file as torchvision loads it: FrozenBatchNorm2d with eps 0
    (overwrite_eps). Running variances of 1e-5 (and scales that undo them)
    make eps 1e-5 visible."""
    from torchvision.models.detection._utils import overwrite_eps
    torch.manual_seed(0)
    src = keypoint_rcnn_coco()
    state = src.state_dict()
    for key in state:
        if key.endswith('running_var'):
            state[key] = torch.full_like(state[key], 1e-5)
            state[key[:-len('running_var')] + 'weight'] = torch.full_like(
                state[key], 1e-5 ** 0.5)
    src.load_state_dict(state)
    overwrite_eps(src, 0.0)  # what keypointrcnn_resnet50_fpn does for COCO_V1
    path = tmp_path / 'keypointrcnn_resnet50_fpn_coco-fc266e95.pth'
    torch.save(src.state_dict(), path)
    cfg = teacher_in_config(Config.fromfile(osp.join(
        REPO, 'configs/_base_/teachers/krcnn-kpt.py')))
    cfg.pop('type')
    ours = FrozenTeacher(**dict(cfg, checkpoint=str(path)))
    x = torch.randn(1, 3, 64, 64)
    with torch.no_grad():
        expected = src.backbone.body(x)['3']
    out = ours(x)
    assert out.shape == (1, 2048, 2, 2)
    torch.testing.assert_close(out, expected)
    with_default_eps = FrozenTeacher(**dict(
        cfg, checkpoint=str(path), model=dict(cfg.model, frozen_bn_eps=1e-5)))
    assert not torch.allclose(with_default_eps(x), expected, rtol=1e-3,
                              atol=1e-3)


def test_untraceable_models_name_the_entry_option():
    with pytest.raises(ValueError, match="cannot be traced.*entry='backbone"):
        TorchvisionFeatures('keypointrcnn_resnet50_fpn',
                            'backbone.body.layer4')
