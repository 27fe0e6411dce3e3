"""TimmFeatures: timm models by name, loading the files timm's hub stores
(written here from random models, as safetensors and as .bin), against
timm's own feature extractor on the same weights."""
import pytest
import timm
import torch
from safetensors.torch import save_file

from mmxtkd.models import FrozenTeacher, TimmFeatures

# (name, stage, input size): small members of the three families
MODELS = [('convnext_atto', 3, 64), ('efficientnet_b0', 2, 64),
          ('vit_tiny_patch16_224', -1, 224)]


def hub_file(tmp_path, name, fmt, **kwargs):
    """A random ``name`` saved as timm's hub stores it."""
    torch.manual_seed(0)
    model = timm.create_model(name, pretrained=False, **kwargs)
    if fmt == 'safetensors':
        path = tmp_path / 'model.safetensors'
        save_file({k: v.contiguous() for k, v in model.state_dict().items()},
                  str(path))
    else:
        path = tmp_path / 'pytorch_model.bin'
        torch.save(model.state_dict(), path)
    return model, str(path)


@pytest.mark.parametrize('name,stage,size', MODELS)
def test_a_hub_file_loads_and_gives_timms_own_stage_map(
        tmp_path, name, stage, size):
    fmt = 'bin' if name.startswith('efficientnet') else 'safetensors'
    source, path = hub_file(tmp_path, name, fmt)
    teacher = FrozenTeacher(model=dict(type='mmxtkd.TimmFeatures', name=name,
                                       out_index=stage), checkpoint=path)
    x = torch.randn(2, 3, size, size)
    # timm's other path to the same stage: its features_only extractor
    # (FeatureListNet), loading the same file with timm's own loader
    reference = timm.create_model(
        name, pretrained=True, pretrained_cfg_overlay=dict(file=path),
        features_only=True,
        out_indices=[stage % len(source.feature_info)])
    with torch.no_grad():
        expected = reference.eval()(x)[0]
    torch.testing.assert_close(teacher(x), expected, rtol=1e-4, atol=1e-4)
    assert teacher(x).shape[1] == source.feature_info[stage]['num_chs']


def test_a_vit_gives_its_tokens_as_a_map(tmp_path):
    source, path = hub_file(tmp_path, 'vit_tiny_patch16_224', 'safetensors')
    teacher = FrozenTeacher(model=dict(type='mmxtkd.TimmFeatures',
                                       name='vit_tiny_patch16_224'),
                            checkpoint=path)
    x = torch.randn(1, 3, 224, 224)
    with torch.no_grad():
        tokens = source.eval().blocks(source.patch_drop(source.norm_pre(
            source._pos_embed(source.patch_embed(x)))))
    # the last block's patch tokens (class token dropped) on a 14 x 14 grid
    expected = tokens[:, 1:].transpose(1, 2).reshape(1, 192, 14, 14)
    torch.testing.assert_close(teacher(x), expected, rtol=1e-4, atol=1e-4)


# foundation backbones, smallest variants cut to 2 blocks at a small input:
# (name, create_model's kwargs, leading tokens by hand, input (H, W), patch)
FOUNDATION = [
    ('vit_small_patch14_dinov2', dict(img_size=56), 1, (56, 56), 14),
    ('vit_small_patch14_dinov2', dict(img_size=56, dynamic_img_size=True), 1,
     (56, 84), 14),
    ('vit_small_patch14_reg4_dinov2', dict(img_size=56), 5, (56, 56), 14),
    ('vit_small_patch16_dinov3', dict(img_size=64), 5, (64, 64), 16),
    ('vit_base_patch16_siglip_224.v2_webli', dict(img_size=64), 0, (64, 64),
     16),  # SigLIP 2: SigLIP's architecture, its own weights' tag
    ('eva02_tiny_patch14_224', dict(img_size=56), 1, (56, 56), 14),
    ('samvit_base_patch16', dict(img_size=64, global_attn_indexes=(1, )),
     None, (64, 64), 16),  # its blocks are laid out (B, h, w, C)
]


@pytest.mark.parametrize('name,kwargs,prefix,size,patch', FOUNDATION,
                         ids=lambda v: v if isinstance(v, str) else None)
def test_a_foundation_vit_gives_its_last_blocks_patch_map(
        tmp_path, name, kwargs, prefix, size, patch):
    kwargs = dict(kwargs, depth=2)
    source, path = hub_file(tmp_path, name, 'safetensors', **kwargs)
    teacher = FrozenTeacher(model=dict(type='mmxtkd.TimmFeatures', name=name,
                                       **kwargs), checkpoint=path)
    x = torch.randn(2, 3, *size)
    out = []  # the last block's output in the model's own forward
    source.blocks[-1].register_forward_hook(lambda m, a, o: out.append(o))
    with torch.no_grad():
        source.eval().forward_features(x)
    h, w = size[0] // patch, size[1] // patch
    if prefix is None:
        expected = out[0].permute(0, 3, 1, 2)
    else:
        expected = out[0][:, prefix:].transpose(1, 2).reshape(2, -1, h, w)
    torch.testing.assert_close(teacher(x), expected, rtol=1e-4, atol=1e-4)
    assert teacher(x).shape[2:] == (h, w)


def test_a_file_of_another_architecture_is_refused_with_its_mismatches(
        tmp_path):
    _, path = hub_file(tmp_path, 'convnext_atto', 'safetensors')
    with pytest.raises(RuntimeError, match=r'does not fit the teacher model '
                       r'TimmFeatures: .*(missing|unexpected|shape)'):
        FrozenTeacher(model=dict(type='mmxtkd.TimmFeatures',
                                 name='convnext_femto'), checkpoint=path)
    (tmp_path / 'cut.safetensors').write_bytes(b'not a file')
    with pytest.raises(RuntimeError, match='could not be read'):
        FrozenTeacher(model=dict(type='mmxtkd.TimmFeatures',
                                 name='convnext_atto'),
                      checkpoint=str(tmp_path / 'cut.safetensors'))


def test_names_and_stages_are_checked():
    with pytest.raises(ValueError, match=r"no model 'convnext_tiyn' \(close: "
                       r"\[.*'convnext_tiny'"):
        TimmFeatures('convnext_tiyn')
    with pytest.raises(ValueError, match='out_index = 4, but timm '
                       'convnext_atto has 4 feature stages'):
        TimmFeatures('convnext_atto', out_index=4)
    with pytest.raises(ValueError, match='downloads nothing'):
        TimmFeatures('convnext_atto', pretrained=True)
    model = TimmFeatures('convnext_atto', out_index=-1)
    assert model.out_index == 3 and model.channels == 320
    assert set(model.state_dict()) == set(
        timm.create_model('convnext_atto').state_dict())


def test_an_adapter_keeps_the_state_dict_and_refuses_top_level_buffers():
    from mmxtkd.models.adopted_modules import adopt_module_tree
    model = torch.nn.Sequential(torch.nn.Linear(2, 3))
    model.register_parameter('scale', torch.nn.Parameter(torch.ones(3)))
    owner = torch.nn.Module()
    adopt_module_tree(owner, model, 'a test model')
    assert owner.state_dict().keys() == model.state_dict().keys()
    assert owner.scale is model.scale  # shared, not copied
    model.register_buffer('table', torch.zeros(2))
    with pytest.raises(NotImplementedError, match='a test model has '
                       'top-level buffers'):
        adopt_module_tree(torch.nn.Module(), model, 'a test model')
