"""FrozenTeacher: building across scopes, checkpoints, frozen-ness,
features."""
import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F

from mmxtkd.models import FrozenTeacher

TINY_RESNET = dict(type='mmpretrain.ResNet', depth=18, base_channels=8,
                   stem_channels=8, out_indices=(2, 3))
TINY_CLASSIFIER = dict(
    type='mmpretrain.ImageClassifier', backbone=TINY_RESNET,
    neck=dict(type='GlobalAveragePooling'),
    head=dict(type='LinearClsHead', num_classes=3, in_channels=64))


def test_returns_last_encoder_map_without_autograd():
    teacher = FrozenTeacher(TINY_RESNET)
    x = torch.randn(2, 3, 64, 64, requires_grad=True)
    out = teacher(x)
    assert out.shape == (2, 64, 2, 2)
    assert not out.requires_grad


def test_whole_model_is_cut_to_its_backbone():
    teacher = FrozenTeacher(TINY_CLASSIFIER, out_index=0)
    assert type(teacher.encoder).__name__ == 'ResNet'
    assert teacher(torch.randn(1, 3, 64, 64)).shape == (1, 32, 4, 4)


def test_frozen_for_good():
    teacher = FrozenTeacher(TINY_RESNET)
    wrapper = nn.ModuleDict(dict(teacher=teacher, head=nn.Linear(2, 2)))
    wrapper.train()
    assert not teacher.encoder.training
    assert all(not m.training for m in teacher.encoder.modules())
    assert all(not p.requires_grad for p in teacher.encoder.parameters())
    # hidden from parameters(), hence from any optimizer, and from checkpoints
    assert list(teacher.parameters()) == []
    assert set(wrapper.state_dict()) == {'head.weight', 'head.bias'}
    # but moved with its owner
    wrapper.to(torch.float64)
    assert next(teacher.encoder.parameters()).dtype == torch.float64


def test_random_teacher_is_reproducible_and_leaves_global_rng_alone():
    state = torch.get_rng_state()
    a = FrozenTeacher(TINY_RESNET, init_seed=3)
    assert torch.equal(torch.get_rng_state(), state)
    b = FrozenTeacher(TINY_RESNET, init_seed=3)
    c = FrozenTeacher(TINY_RESNET, init_seed=4)
    x = torch.randn(2, 3, 64, 64)
    torch.testing.assert_close(a(x), b(x))
    assert not torch.allclose(a(x), c(x))


def test_loads_an_mmengine_checkpoint_of_the_whole_classifier(tmp_path):
    from mmengine.registry import DefaultScope
    from mmpretrain.registry import MODELS
    with DefaultScope.overwrite_default_scope('mmpretrain'):
        source = MODELS.build(dict(TINY_CLASSIFIER, type='ImageClassifier'))
    for p in source.parameters():
        nn.init.normal_(p)
    path = tmp_path / 'cls.pth'
    torch.save(dict(meta=dict(epoch=3), state_dict=source.state_dict()), path)

    teacher = FrozenTeacher(TINY_CLASSIFIER, checkpoint=str(path))
    for k, v in source.backbone.state_dict().items():
        torch.testing.assert_close(teacher.encoder.state_dict()[k], v)


def test_checkpoint_keys_with_ddp_prefix_are_revised(tmp_path):
    source = FrozenTeacher(TINY_RESNET, init_seed=7).encoder
    path = tmp_path / 'ddp.pth'
    torch.save({'state_dict': {'module.' + k: v
                               for k, v in source.state_dict().items()}}, path)
    teacher = FrozenTeacher(TINY_RESNET, checkpoint=str(path), init_seed=0)
    x = torch.randn(1, 3, 32, 32)
    torch.testing.assert_close(teacher(x), FrozenTeacher(TINY_RESNET,
                                                         init_seed=7)(x))


def test_missing_checkpoint_is_a_clear_error(tmp_path):
    missing = str(tmp_path / 'nope.pth')
    with pytest.raises(
            FileNotFoundError, match='teacher checkpoint not found'):
        FrozenTeacher(TINY_RESNET, checkpoint=missing)
    with pytest.raises(IsADirectoryError, match=r'teacher checkpoint .* is a '
                       r'directory: give the weights file in it'):
        FrozenTeacher(TINY_RESNET, checkpoint=str(tmp_path))


def test_checkpoint_of_wrong_shape_names_the_keys(tmp_path):
    other = FrozenTeacher(dict(TINY_RESNET, base_channels=16,
                               stem_channels=16)).encoder
    path = tmp_path / 'wide.pth'
    torch.save({'state_dict': other.state_dict()}, path)
    with pytest.raises(RuntimeError, match=r'shape mismatches.*conv1.weight: '
                       r'checkpoint \(16, 3, 7, 7\) vs model \(8, 3, 7, 7\)'):
        FrozenTeacher(TINY_RESNET, checkpoint=str(path))


def test_checkpoint_with_nan_weights_names_the_file_and_the_tensors(tmp_path):
    """Caught when the teacher loads, not as a NaN loss at iteration 1."""
    state = FrozenTeacher(TINY_RESNET).encoder.state_dict()
    state['layer1.0.conv1.weight'][0, 0, 0, 0] = float('nan')
    state['layer2.0.bn1.running_var'][1] = float('inf')
    path = tmp_path / 'diverged.pth'
    torch.save({'state_dict': state}, path)
    with pytest.raises(RuntimeError, match=r'diverged.pth holds NaN or Inf '
                       r'in 2 of its \d+ tensors \(layer1.0.conv1.weight, '
                       r'layer2.0.bn1.running_var\)'):
        FrozenTeacher(TINY_RESNET, checkpoint=str(path))


def test_renormalises_student_inputs_to_its_own_statistics():
    seen = []
    teacher = FrozenTeacher(
        TINY_RESNET, mean=[10., 20., 30.], std=[2., 4., 5.],
        student_mean=[100., 100., 100.], student_std=[50., 50., 50.])
    teacher.encoder.register_forward_pre_hook(lambda m, a: seen.append(a[0]))
    raw = torch.rand(1, 3, 32, 32) * 255
    student_in = (raw - 100) / 50
    teacher(student_in)
    expected = (raw - torch.tensor([10., 20., 30.]).view(1, 3, 1, 1)) / \
        torch.tensor([2., 4., 5.]).view(1, 3, 1, 1)
    torch.testing.assert_close(seen[0], expected, rtol=1e-5, atol=1e-4)
    with pytest.raises(ValueError, match='needs all of'):
        FrozenTeacher(TINY_RESNET, mean=[0, 0, 0])


def test_vit_tokens_become_a_map_without_the_class_token():
    vit = dict(type='mmpretrain.VisionTransformer', arch='deit-tiny',
               img_size=64, patch_size=16)
    as_map = FrozenTeacher(dict(vit, out_type='featmap'), init_seed=1)
    as_tokens = FrozenTeacher(dict(vit, out_type='raw'), init_seed=1)
    for size, grid in (((64, 64), (4, 4)), ((64, 96), (4, 6))):
        x = torch.randn(2, 3, *size)
        out = as_tokens(x)
        assert out.shape == (2, 192, *grid)
        torch.testing.assert_close(out, as_map(x))


def test_input_size_resizes_before_the_teacher():
    teacher = FrozenTeacher(TINY_RESNET, input_size=(64, 64))
    assert teacher(torch.randn(1, 3, 32, 48)).shape == (1, 64, 2, 2)


def test_inference_mode_map_can_be_saved_for_a_projectors_backward():
    fast = FrozenTeacher(TINY_RESNET, init_seed=3)
    plain = FrozenTeacher(TINY_RESNET, init_seed=3, inference_mode=False)
    x = torch.randn(2, 3, 64, 64)
    out = fast(x)
    assert not out.is_inference() and not out.requires_grad
    torch.testing.assert_close(out, plain(x), rtol=0, atol=0)
    # a 1x1 convolution saves its input for the weight gradient: an
    # inference tensor would raise here
    projector = nn.Conv2d(64, 4, 1)
    projector(out).square().sum().backward()
    assert projector.weight.grad.abs().sum() > 0


def test_channels_last_teacher_gives_the_same_map():
    x = torch.randn(2, 3, 64, 64)
    reference = FrozenTeacher(TINY_RESNET, init_seed=3)(x)
    teacher = FrozenTeacher(TINY_RESNET, init_seed=3, channels_last=True)
    weight = teacher.encoder.conv1.weight
    assert weight.is_contiguous(memory_format=torch.channels_last)
    assert not weight.is_contiguous()
    torch.testing.assert_close(teacher(x), reference, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize('dtype', ['bfloat16', 'float16'])
def test_teachers_own_autocast(dtype):
    vit = dict(type='mmpretrain.VisionTransformer', arch='deit-tiny',
               img_size=64, patch_size=16, out_type='featmap')
    reference = FrozenTeacher(vit, init_seed=1)
    teacher = FrozenTeacher(vit, init_seed=1, autocast_dtype=dtype)
    seen = {}
    teacher.encoder.layers[0].attn.qkv.register_forward_hook(
        lambda m, a, out: seen.update(dtype=out.dtype))
    x = torch.randn(2, 3, 64, 64)
    out = teacher(x)
    assert seen['dtype'] == getattr(torch, dtype)  # ran in half precision
    assert out.dtype == torch.float32 and not out.is_inference()
    cosine = F.cosine_similarity(out, reference(x), dim=1)
    assert cosine.min() > 0.99
    with pytest.raises(ValueError, match="autocast_dtype must be None, "
                       "'bfloat16' or 'float16', got 'half'"):
        FrozenTeacher(vit, autocast_dtype='half')


def test_empty_batch_and_unknown_submodule_errors():
    teacher = FrozenTeacher(TINY_RESNET)
    with pytest.raises(ValueError, match='non-empty'):
        teacher(torch.randn(0, 3, 32, 32))
    with pytest.raises(ValueError, match="no submodule 'neck'"):
        FrozenTeacher(TINY_RESNET, feature='neck')


def test_builds_the_backbone_of_a_package_config_without_downloading():
    teacher = FrozenTeacher('mmdet::mask_rcnn/mask-rcnn_r50_fpn_1x_coco.py')
    assert type(teacher.encoder).__name__ == 'ResNet'
    assert teacher(torch.randn(1, 3, 64, 64)).shape == (1, 2048, 2, 2)
    with pytest.raises(
            FileNotFoundError, match='teacher model config not found'):
        FrozenTeacher('mmdet::mask_rcnn/no_such_config.py')


def test_builds_a_model_from_an_mmxtkd_package_config():
    """'mmxtkd::' resolves in the package's own folder, also when it is
    installed editable (its distribution then lies in site-packages)."""
    teacher = FrozenTeacher('mmxtkd::_base_/models/depth_r50_decoder.py',
                            feature='student.backbone')
    assert type(teacher.encoder).__name__ == 'ResNet'


def test_truncated_teacher_checkpoint_names_the_file_and_the_teacher(tmp_path):
    from mmpretrain.models import ResNet
    path = str(tmp_path / 'teacher.pth')
    torch.save(ResNet(depth=18).state_dict(), path)
    with open(path, 'rb') as f:
        head = f.read(1000)
    with open(path, 'wb') as f:
        f.write(head)
    with pytest.raises(RuntimeError, match=r'teacher checkpoint .*teacher.pth '
                       r'could not be read .*complete'):
        FrozenTeacher(model=dict(type='mmpretrain.ResNet', depth=18),
                      checkpoint=path)
