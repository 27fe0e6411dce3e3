"""The student and teacher converters: a model in the public source layout
(timm, torchvision, AiT) is saved by the test, converted by the script, loaded
through our configs, and its features must equal the source model's forward.
Tolerance: 1e-4 absolute and relative, float32 rounding of the same sums in
another order (observed differences are ~1e-6)."""
import math
import os.path as osp
import subprocess
import sys

import pytest
import torch
import torch.nn.functional as F
from mmengine.config import Config
from mmengine.registry import MODELS

from conftest import REPO
from mmxtkd.models import FrozenTeacher
from mmxtkd.models.teachers import teacher_in_config
from mmxtkd.registry import build_in_own_scope
from mmxtkd.utils import check_pretrained_inits
from source_checkpoints import (CONVERTERS, ait_coords_table, ait_state_dict,
                                convert, relative_index)

TOL = dict(atol=1e-4, rtol=1e-4)


def agree(name: str, ours: torch.Tensor, expected: torch.Tensor) -> None:
    """Assert the features match; ``pytest -s`` shows by how much."""
    torch.testing.assert_close(ours, expected, **TOL)
    print(f'\n{name}: max |ours - source| = '
          f'{(ours - expected).abs().max().item():.1e} '
          f'(max |feature| {expected.abs().max().item():.1e})')


def randomize_bn(model: torch.nn.Module) -> None:
    """Non-trivial BatchNorm statistics, so a swapped BN shows."""
    gen = torch.Generator().manual_seed(1)
    for m in model.modules():
        if isinstance(m, torch.nn.BatchNorm2d):
            n = m.num_features
            m.running_mean.copy_(torch.randn(n, generator=gen) * 0.1)
            m.running_var.copy_(torch.rand(n, generator=gen) + 0.5)
            m.weight.data.copy_(torch.rand(n, generator=gen) + 0.5)
            m.bias.data.copy_(torch.randn(n, generator=gen) * 0.1)


def student_from_config(base: str, checkpoint: str):
    """The depth student of ``configs/_base_/models/<base>``, its encoder
    initialised from ``checkpoint`` the way the Runner does it."""
    cfg = Config.fromfile(osp.join(REPO, 'configs/_base_/models', base)).model
    cfg.student.backbone.init_cfg.checkpoint = checkpoint
    model = build_in_own_scope(MODELS, cfg)
    model.init_weights()
    backbone = model.student.backbone
    backbone.eval()  # mmpretrain's train() returns None
    return backbone


def test_mobilenetv2_timm_converter(tmp_path):
    import timm
    from safetensors.torch import save_file
    torch.manual_seed(0)
    src = timm.create_model('mobilenetv2_050', pretrained=False).eval()
    randomize_bn(src)
    path = tmp_path / 'model.safetensors'  # the file timm's hub serves
    save_file({k: v.contiguous() for k, v in src.state_dict().items()},
              str(path))
    # as the command the README gives (the others run in this process)
    convert('mobilenetv2_timm_to_mmpretrain.py', path, tmp_path / 'mbv2.pth',
            as_command=True)
    ours = student_from_config('depth_mbv2-0.5_decoder.py',
                               str(tmp_path / 'mbv2.pth'))
    x = torch.randn(2, 3, 96, 128)
    with torch.no_grad():
        agree('timm mobilenetv2_050', ours(x)[-1], src.forward_features(x))


def test_efficientnet_torchvision_converter(tmp_path):
    from torchvision.models import efficientnet_b0
    torch.manual_seed(0)
    src = efficientnet_b0().eval()
    randomize_bn(src)
    torch.save(src.state_dict(), tmp_path / 'efficientnet_b0.pth')
    convert('efficientnet_torchvision_to_mmpretrain.py',
            tmp_path / 'efficientnet_b0.pth', tmp_path / 'effb0.pth')
    ours = student_from_config('depth_effb0_decoder.py',
                               str(tmp_path / 'effb0.pth'))
    x = torch.randn(2, 3, 96, 128)
    with torch.no_grad():
        feats = ours(x)
        agree('torchvision efficientnet_b0', feats[-1], src.features(x))
        agree('torchvision efficientnet_b0 stage 5', feats[3],
              src.features[:6](x))


def test_resnet_torchvision_converter(tmp_path):
    from torchvision.models import resnet50
    torch.manual_seed(0)
    src = resnet50().eval()
    randomize_bn(src)
    torch.save(src.state_dict(), tmp_path / 'resnet50.pth')
    convert('resnet_torchvision_to_mmpretrain.py', tmp_path / 'resnet50.pth',
            tmp_path / 'r50.pth')
    ours = student_from_config('depth_r50_decoder.py',
                               str(tmp_path / 'r50.pth'))
    x = torch.randn(2, 3, 96, 128)
    with torch.no_grad():
        stem = src.maxpool(src.relu(src.bn1(src.conv1(x))))
        expected = src.layer4(src.layer3(src.layer2(src.layer1(stem))))
        agree('torchvision resnet50', ours(x)[-1], expected)


def test_converters_refuse_another_architecture(tmp_path):
    from torchvision.models import resnet18
    torch.save(resnet18().state_dict(), tmp_path / 'resnet18.pth')
    result = subprocess.run([
        sys.executable,
        osp.join(CONVERTERS, 'efficientnet_torchvision_to_mmpretrain.py'),
        str(tmp_path / 'resnet18.pth'), str(tmp_path / 'out.pth')
    ], capture_output=True, text=True)
    assert result.returncode != 0
    assert 'features.1-7' in result.stderr
    assert not (tmp_path / 'out.pth').exists()


def test_missing_pretrained_file_names_the_converter(tmp_path):
    cfg = Config.fromfile(
        osp.join(REPO, 'configs/_base_/models/depth_mbv2-0.5_decoder.py'))
    cfg.model.student.backbone.init_cfg.checkpoint = str(tmp_path / 'no.pth')
    model = build_in_own_scope(MODELS, cfg.model)
    with pytest.raises(FileNotFoundError) as err:
        model.init_weights()
    assert str(tmp_path / 'no.pth') in str(err.value)
    assert 'mobilenetv2_timm_to_mmpretrain.py' in str(err.value)


def test_pretrained_file_of_another_backbone_is_an_error(tmp_path):
    """mmengine would load it with strict=False and train from random."""
    from torchvision.models import resnet18
    torch.save(resnet18().state_dict(), tmp_path / 'resnet18.pth')
    convert('resnet_torchvision_to_mmpretrain.py', tmp_path / 'resnet18.pth',
            tmp_path / 'r18.pth')
    cfg = Config.fromfile(
        osp.join(REPO, 'configs/_base_/models/depth_r50_decoder.py'))
    cfg.model.student.backbone.init_cfg.checkpoint = str(tmp_path / 'r18.pth')
    model = build_in_own_scope(MODELS, cfg.model)
    with pytest.raises(RuntimeError, match=r'r18.pth do not fit backbone '
                       r'\(ResNet\): \d+ missing keys.*shape mismatches'):
        check_pretrained_inits(model.student)


# -- AiT's SwinV2: a checkpoint in AiT's layout and AiT's forward -------------
def ait_window_attention(sd, p, x, hw, window, shift, heads, pretrained):
    """AiT's (shifted) window attention on tokens (B, H*W, C): zero padding
    to whole windows, cosine attention with a clamped learnt scale, the
    16*sigmoid continuous position bias, -100 between shifted regions."""
    (b, _, c), (h, w) = x.shape, hw
    t = x.view(b, h, w, c)
    t = F.pad(t, (0, 0, 0, (-w) % window, 0, (-h) % window))
    hp, wp = t.shape[1:3]
    if shift:
        t = torch.roll(t, (-shift, -shift), (1, 2))
    n = window * window
    win = t.view(b, hp // window, window, wp // window, window, c)
    win = win.permute(0, 1, 3, 2, 4, 5).reshape(-1, n, c)
    bias = torch.cat([sd[p + 'q_bias'], torch.zeros_like(sd[p + 'v_bias']),
                      sd[p + 'v_bias']])
    q, k, v = F.linear(win, sd[p + 'qkv.weight'], bias).view(
        -1, n, 3, heads, c // heads).permute(2, 0, 3, 1, 4)
    attn = F.normalize(q, dim=-1) @ F.normalize(k, dim=-1).transpose(-2, -1)
    attn = attn * sd[p + 'logit_scale'].clamp(max=math.log(100)).exp()
    coords = ait_coords_table(window, pretrained)
    table = F.linear(F.relu(F.linear(coords, sd[p + 'rpe_mlp.0.weight'],
                                     sd[p + 'rpe_mlp.0.bias'])),
                     sd[p + 'rpe_mlp.2.weight']).view(-1, heads)
    rpb = table[relative_index(window).view(-1)].view(n, n, heads)
    attn = attn + 16 * torch.sigmoid(rpb.permute(2, 0, 1))
    if shift:
        region = torch.zeros(hp, wp)
        cuts = (slice(0, -window), slice(-window, -shift), slice(-shift, None))
        for idx, (rs, cs) in enumerate((r, s) for r in cuts for s in cuts):
            region[rs, cs] = idx
        region = region.view(hp // window, window, wp // window, window)
        region = region.permute(0, 2, 1, 3).reshape(-1, n)
        mask = (region[:, None, :] != region[:, :, None]).float() * -100.0
        attn = (attn.view(b, -1, heads, n, n) + mask[None, :, None]).view(
            -1, heads, n, n)
    out = (attn.softmax(-1) @ v).transpose(1, 2).reshape(-1, n, c)
    out = F.linear(out, sd[p + 'proj.weight'], sd[p + 'proj.bias'])
    out = out.view(b, hp // window, wp // window, window, window, c)
    out = out.permute(0, 1, 3, 2, 4, 5).reshape(b, hp, wp, c)
    if shift:
        out = torch.roll(out, (shift, shift), (1, 2))
    return out[:, :h, :w].reshape(b, h * w, c)


def ait_forward(sd, img, depths, heads, windows, pretrained_windows,
                use_shift, eps=1e-6):
    """AiT's SwinV2TransformerRPE2FC forward, written from its description:
    post-norm residual blocks, patch merging at the end of each stage."""

    def ln(t, p):
        return F.layer_norm(t, t.shape[-1:], sd[p + '.weight'],
                            sd[p + '.bias'], eps)

    x = F.conv2d(img, sd['patch_embed.proj.weight'],
                 sd['patch_embed.proj.bias'], stride=4)
    b, _, h, w = x.shape
    x = ln(x.flatten(2).transpose(1, 2), 'patch_embed.norm')
    for i, depth in enumerate(depths):
        for j in range(depth):
            p = f'layers.{i}.blocks.{j}.'
            shift = windows[i] // 2 if j % 2 and use_shift[i] else 0
            x = x + ln(ait_window_attention(
                sd, p + 'attn.', x, (h, w), windows[i], shift, heads[i],
                pretrained_windows[i]), p + 'norm1')
            mlp = F.linear(F.gelu(F.linear(x, sd[p + 'mlp.fc1.weight'],
                                           sd[p + 'mlp.fc1.bias'])),
                           sd[p + 'mlp.fc2.weight'], sd[p + 'mlp.fc2.bias'])
            x = x + ln(mlp, p + 'norm2')
        if i < len(depths) - 1:
            p = f'layers.{i}.downsample.'
            g = x.view(b, h, w, -1)
            g = torch.cat([g[:, 0::2, 0::2], g[:, 1::2, 0::2],
                           g[:, 0::2, 1::2], g[:, 1::2, 1::2]], -1)
            h, w = h // 2, w // 2
            x = ln(F.linear(g.reshape(b, h * w, -1),
                            sd[p + 'reduction.weight']), p + 'norm')
    x = ln(x, f'norm{len(depths) - 1}')
    return x.view(b, h, w, -1).permute(0, 3, 1, 2)


@pytest.mark.parametrize('teacher, use_shift', [
    ('ait-depth.py', (True, True, False, False)),
    ('ait-insseg.py', (True, True, True, True)),
])
def test_ait_swinv2_converter_reproduces_ait(tmp_path, teacher, use_shift):
    """A small SwinV2 (the teacher config's options, smaller widths and
    windows) in AiT's layout. 64x96 inputs make stage 3 exactly one window
    (AiT still shifts it when use_shift is on) and pad stages 3 and 4."""
    depths, heads = [2, 2, 2, 2], [2, 2, 4, 4]
    windows, pretrained = [4, 4, 4, 2], [3, 3, 3, 2]
    sd, full = ait_state_dict(16, depths, heads, windows, pretrained)
    torch.save({'meta': {'epoch': 20}, 'state_dict': full},
               tmp_path / 'ait.pth')
    convert('swinv2_ait_to_mmpretrain.py', tmp_path / 'ait.pth',
            tmp_path / 'swin.pth')
    cfg = teacher_in_config(Config.fromfile(
        osp.join(REPO, 'configs/_base_/teachers', teacher)))
    cfg.model.update(
        arch=dict(embed_dims=16, depths=depths, num_heads=heads,
                  extra_norm_every_n_blocks=0),
        img_size=64, window_size=windows, pretrained_window_sizes=pretrained)
    cfg.checkpoint = str(tmp_path / 'swin.pth')
    cfg.pop('type')
    ours = FrozenTeacher(**cfg)
    x = torch.randn(2, 3, 64, 96)
    with torch.no_grad():
        expected = ait_forward(sd, x, depths, heads, windows, pretrained,
                               use_shift)
        agree(f'AiT SwinV2 ({teacher})', ours(x), expected)
        # the other shift pattern gives other features: the test can fail
        other = ait_forward(sd, x, depths, heads, windows, pretrained,
                            [not s for s in use_shift])
        assert not torch.allclose(other, expected, **TOL)


def test_ait_teacher_checks_window_sizes(tmp_path):
    """A checkpoint of other window sizes is refused by name."""
    depths, heads = [2, 2, 2, 2], [2, 2, 4, 4]
    _, full = ait_state_dict(16, depths, heads, [4, 4, 4, 2], [3, 3, 3, 2])
    torch.save({'state_dict': full}, tmp_path / 'ait.pth')
    convert('swinv2_ait_to_mmpretrain.py', tmp_path / 'ait.pth',
            tmp_path / 'swin.pth')
    cfg = teacher_in_config(Config.fromfile(osp.join(
        REPO, 'configs/_base_/teachers/ait-depth.py')))
    cfg.model.update(
        arch=dict(embed_dims=16, depths=depths, num_heads=heads,
                  extra_norm_every_n_blocks=0),
        img_size=64, window_size=[8, 8, 8, 2], pretrained_window_sizes=[3] * 4)
    cfg.checkpoint = str(tmp_path / 'swin.pth')
    cfg.pop('type')
    with pytest.raises(RuntimeError, match='relative_position_index'):
        FrozenTeacher(**cfg)


def test_resnet_converter_feeds_mmseg_dilated_resnet(tmp_path):
    """The segmentation student's encoder: mmseg's ResNet-50 with
    style='pytorch', output stride 8 (DeepLabV3's dilations, the first block
    of each dilated stage contracted) takes the converted torchvision file and
    equals torchvision's own dilated ResNet-50."""
    from mmengine.runner import load_checkpoint
    from mmseg.models.backbones import ResNet
    from torchvision.models import resnet50
    torch.manual_seed(0)
    src = resnet50(replace_stride_with_dilation=[False, True, True]).eval()
    randomize_bn(src)
    torch.save(src.state_dict(), tmp_path / 'resnet50.pth')
    convert('resnet_torchvision_to_mmpretrain.py', tmp_path / 'resnet50.pth',
            tmp_path / 'r50.pth')
    ours = ResNet(depth=50, style='pytorch', strides=(1, 2, 1, 1),
                  dilations=(1, 1, 2, 4), contract_dilation=True)
    check_pretrained_inits(ResNet(
        depth=50, init_cfg=dict(type='Pretrained',
                                checkpoint=str(tmp_path / 'r50.pth'))))
    load_checkpoint(ours, str(tmp_path / 'r50.pth'), strict=True)
    ours.eval()
    x = torch.randn(1, 3, 64, 96)
    with torch.no_grad():
        stem = src.maxpool(src.relu(src.bn1(src.conv1(x))))
        expected = src.layer4(src.layer3(src.layer2(src.layer1(stem))))
        out = ours(x)[-1]
    assert out.shape == (1, 2048, 8, 12)  # stride 8
    agree('torchvision resnet50, dilated, into mmseg ResNet', out, expected)


# -- mmpretrain's ImageNet-21k SwinV2 in the SwinV2-B depth student ----------
def test_swinv2_zoo_weights_fit_the_students_larger_windows(tmp_path):
    """The depth student's encoder takes mmpretrain's SwinV2 file (windows
    12/12/12/6) with AiT's windows (30, 30, 30, 15): every learnt weight
    loads, the window buffers are rebuilt, and, with pretrained_window_sizes
    naming the file's windows, each offset's position bias is the one the
    classifier learnt (its own cpb_mlp on its own table). Any other
    normalisation is refused by name; a missing file names its address."""
    from mmpretrain.models import SwinTransformerV2
    from mmpretrain.models.utils.attention import WindowMSAV2
    torch.manual_seed(0)
    small = dict(embed_dims=16, depths=[2, 2, 2, 2], num_heads=[2, 2, 4, 4],
                 extra_norm_every_n_blocks=0)
    classifier = SwinTransformerV2(arch=small, img_size=192,
                                   window_size=[12, 12, 12, 6])
    path = str(tmp_path / 'swinv2_in21k.pth')
    torch.save({'state_dict': {f'backbone.{k}': v for k, v in
                               classifier.state_dict().items()}}, path)
    cfg = Config.fromfile(
        osp.join(REPO, 'configs/_base_/models/depth_swinv2b_decoder.py'))
    backbone = cfg.model.student.backbone.to_dict()
    backbone.update(arch=small)
    backbone.pop('type')

    def encoder(pretrained_window_sizes, checkpoint=path):
        return SwinTransformerV2(**dict(
            backbone, pretrained_window_sizes=pretrained_window_sizes,
            init_cfg=dict(backbone['init_cfg'], checkpoint=checkpoint)))

    model = encoder([12, 12, 12, 6])
    check_pretrained_inits(model)
    model.init_weights()

    def biases(net):
        return [16 * torch.sigmoid(m.cpb_mlp(m.relative_coords_table))
                for m in net.modules() if isinstance(m, WindowMSAV2)]

    with torch.no_grad():
        for ours, theirs in zip(
                biases(model), biases(classifier), strict=True):
            c, h = ours.shape[1] // 2, theirs.shape[1] // 2
            torch.testing.assert_close(
                ours[:, c - h:c + h + 1, c - h:c + h + 1], theirs)
    assert torch.equal(model.stages[2].blocks[1].ffn.layers[1].weight,
                       classifier.stages[2].blocks[1].ffn.layers[1].weight)
    with pytest.raises(RuntimeError,
                       match=r'relative_coords_table normalised differently.*'
                       r'checkpoint window 12, model window 30.*'
                       r'pretrained_window_sizes'):
        check_pretrained_inits(encoder([0, 0, 0, 0]))
    with pytest.raises(FileNotFoundError,
                       match='Download https://download.openmmlab.com/.*'
                       'swinv2-base-w12_3rdparty_in21k-192px'):
        check_pretrained_inits(encoder([12, 12, 12, 6],
                                       cfg.model.student.backbone.init_cfg
                                       .checkpoint))


@pytest.mark.parametrize('config,package', [
    ('depth/synthetic/mbv2_vitb-cls-teacher_inverted.py', 'mmseg'),
    ('colourisation/synthetic/pix2pix-s_r50-random-teacher_inverted.py',
     'mmagic')])
def test_export_student_gives_what_the_students_package_loads(
        tmp_path, config, package):
    """A distilled checkpoint (student + projector, as training writes it)
    exported by tools/model_converters/export_student.py: the plain
    student config it writes loads it strictly, with mmseg's own
    init_model for depth, and predicts as the distiller's student."""
    from mmengine.runner import load_checkpoint

    from conftest import run_script
    from mmxtkd.models.distillation import without_distillation
    cfg = Config.fromfile(osp.join(REPO, 'configs', config))
    model_cfg = dict(without_distillation(cfg.model),
                     _scope_=cfg.default_scope)
    if package == 'mmseg':
        model_cfg['student']['backbone']['init_cfg'] = None
    torch.manual_seed(0)
    distiller = build_in_own_scope(MODELS, model_cfg)
    state = dict(distiller.state_dict())
    state['distill.pairs.main.projector.proj.weight'] = torch.randn(8, 8, 1, 1)
    ckpt, out = str(tmp_path / 'run.pth'), str(tmp_path / 'student.pth')
    torch.save({'meta': {'dataset_meta': {}}, 'state_dict': state}, ckpt)
    run_script(osp.join(REPO, 'tools/model_converters/export_student.py'),
               osp.join(REPO, 'configs', config), ckpt, out,
               '--cfg-options', 'model.teacher.checkpoint=/nowhere.pth')
    plain_cfg = Config.fromfile(str(tmp_path / 'student.py'))
    assert 'teacher' not in plain_cfg.model
    if package == 'mmseg':
        from mmseg.apis import init_model
        plain_cfg.model.backbone.init_cfg = None
        student = init_model(plain_cfg, out, device='cpu')
        assert type(student).__name__ == 'DepthEstimator'
        reference = distiller.student
        inputs = torch.randn(1, 3, 96, 128)
    else:
        student = build_in_own_scope(MODELS, dict(
            plain_cfg.model.to_dict(), _scope_='mmagic'))
        assert type(student).__name__ == 'Pix2Pix'
    load_checkpoint(student, out, strict=True, logger='silent')
    if package == 'mmagic':
        reference = distiller.generators['photo']
        student = student.generators['photo']
        inputs = torch.randn(1, 3, 64, 64)
    student.eval(), reference.eval()
    with torch.no_grad():
        expected = (reference.extract_feat(inputs)[-1] if package == 'mmseg'
                    else reference(inputs))
        ours = (student.extract_feat(inputs)[-1] if package == 'mmseg'
                else student(inputs))
    torch.testing.assert_close(ours, expected)
