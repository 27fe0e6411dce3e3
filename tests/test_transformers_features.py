"""TransformersFeatures: tiny random models of each family, saved with
``save_pretrained`` as the hub's folders are, read back strictly by the
teacher, against the model's own forward (hidden states reshaped by hand).
Families the installed transformers lacks are skipped by name; module names
that changed between transformers releases are looked up."""
import json

import pytest
import torch
import transformers

from mmxtkd.models import FrozenTeacher, TransformersFeatures


def needs(*names):
    missing = [n for n in names if not hasattr(transformers, n)]
    return pytest.mark.skipif(
        bool(missing), reason=f'transformers {transformers.__version__} has '
        f'no {", ".join(missing)}')


def vit_kwargs(**kwargs):
    return dict(dict(hidden_size=32, num_hidden_layers=2,
                     num_attention_heads=2, intermediate_size=64), **kwargs)


def save_folder(tmp_path, model, mean=(0.485, 0.456, 0.406),
                std=(0.229, 0.224, 0.225)):
    """``model`` saved as a hub folder: config.json, model.safetensors and
    an image processor's preprocessor_config.json."""
    folder = tmp_path / 'model'
    model.save_pretrained(folder, safe_serialization=True)
    (folder / 'preprocessor_config.json').write_text(json.dumps(dict(
        do_normalize=True, do_rescale=True, rescale_factor=1 / 255,
        image_mean=list(mean), image_std=list(std))))
    return str(folder)


def teacher_of(folder, layer, **kwargs):
    return FrozenTeacher(
        model=dict(type='mmxtkd.TransformersFeatures', folder=folder,
                   layer=layer), **kwargs)


def named(model, *names):
    """The first of ``names`` that ``model`` has (transformers 5 renamed
    some modules, e.g. SegFormer's ``encoder`` to ``stages``)."""
    have = dict(model.named_modules())
    return next(n for n in names if n in have)


def patch_map(tokens, prefix, h, w):
    """By hand: drop ``prefix`` leading tokens, lay the rest row-major."""
    return tokens[:, prefix:].transpose(1, 2).reshape(
        tokens.shape[0], tokens.shape[2], h, w)


def hooked(model, layer, x, **kwargs):
    """The layer's output in the model's own full forward."""
    out = []
    handle = model.get_submodule(layer).register_forward_hook(
        lambda m, a, o: out.append(o))
    with torch.no_grad():
        model(pixel_values=x, **kwargs)
    handle.remove()
    return out[0]


def close(actual, expected):
    torch.testing.assert_close(actual, expected, rtol=1e-4, atol=1e-5)


def build(config_name, model_name, **config):
    torch.manual_seed(0)
    return getattr(transformers, model_name)(
        getattr(transformers, config_name)(**config)).eval()


# -- ViT-style: patch tokens only --------------------------------------------
VITS = [  # config, model, its kwargs, leading tokens, patch, input size
    pytest.param('Dinov2Config', 'Dinov2Model', dict(patch_size=14,
                 image_size=56), 1, 14, (75, 90), id='dinov2'),
    pytest.param('Dinov2WithRegistersConfig', 'Dinov2WithRegistersModel',
                 dict(patch_size=14, image_size=56, num_register_tokens=4),
                 5, 14, (70, 84), id='dinov2-registers',
                 marks=needs('Dinov2WithRegistersModel')),
    pytest.param('DINOv3ViTConfig', 'DINOv3ViTModel',
                 dict(patch_size=16, image_size=64, num_register_tokens=4),
                 5, 16, (64, 96), id='dinov3',
                 marks=needs('DINOv3ViTModel')),
    pytest.param('ViTConfig', 'ViTModel', dict(patch_size=16, image_size=32),
                 1, 16, (48, 64), id='vit'),
    pytest.param('CLIPVisionConfig', 'CLIPVisionModel',
                 dict(patch_size=16, image_size=48, projection_dim=16), 1,
                 16, (48, 48), id='clip'),
    pytest.param('SiglipVisionConfig', 'SiglipVisionModel',
                 dict(patch_size=16, image_size=48), 0, 16, (48, 48),
                 id='siglip', marks=needs('SiglipVisionModel')),
]


@pytest.mark.parametrize('config_name,model_name,config,prefix,patch,size',
                         VITS)
def test_a_vits_last_block_gives_its_patch_tokens_as_a_map(
        tmp_path, config_name, model_name, config, prefix, patch, size):
    model = build(config_name, model_name, **vit_kwargs(**config))
    folder = save_folder(tmp_path, model)
    layers = [n for n, m in model.named_modules()
              if isinstance(m, torch.nn.ModuleList) and len(m) == 2]
    layer = f'{layers[0]}.1'  # the last of the 2 blocks
    teacher = teacher_of(folder, layer)
    x = torch.randn(2, 3, *size)
    kwargs = ({'interpolate_pos_encoding': True}
              if model_name in ('ViTModel', ) else {})
    with torch.no_grad():
        hidden = model(pixel_values=x, output_hidden_states=True,
                       **kwargs).hidden_states[-1]
    h, w = size[0] // patch, size[1] // patch
    close(teacher(x), patch_map(hidden, prefix, h, w))
    assert teacher(x).shape == (2, 32, h, w)


def test_dinov2s_final_norm_is_its_normalised_last_tokens(tmp_path):
    model = build('Dinov2Config', 'Dinov2Model', **vit_kwargs(
        patch_size=14, image_size=56))
    teacher = teacher_of(save_folder(tmp_path, model), 'layernorm')
    x = torch.randn(1, 3, 56, 70)
    with torch.no_grad():
        last = model(pixel_values=x).last_hidden_state
    close(teacher(x), patch_map(last, 1, 4, 5))


# -- hierarchical backbones --------------------------------------------------
def test_convnext_stage_is_its_hidden_state(tmp_path):
    model = build('ConvNextConfig', 'ConvNextModel', hidden_sizes=[8, 16,
                  24, 32], depths=[1, 1, 1, 1], num_channels=3)
    teacher = teacher_of(save_folder(tmp_path, model), 'encoder.stages.2')
    x = torch.randn(2, 3, 64, 96)
    with torch.no_grad():
        expected = model(pixel_values=x,
                         output_hidden_states=True).hidden_states[3]
    close(teacher(x), expected)
    assert teacher(x).shape == (2, 24, 4, 6)


def test_swin_blocks_tokens_lie_on_their_stages_grid(tmp_path):
    model = build('SwinConfig', 'SwinModel', image_size=64, patch_size=4,
                  embed_dim=8, depths=[1, 1, 1], num_heads=[1, 1, 1],
                  window_size=2)
    layer = 'encoder.layers.1.blocks.0'  # stage 2: stride 8, before merging
    teacher = teacher_of(save_folder(tmp_path, model), layer)
    x = torch.randn(1, 3, 64, 96)
    tokens = hooked(model, layer, x)[0]
    close(teacher(x), patch_map(tokens, 0, 8, 12))


# -- task models' encoders ---------------------------------------------------
def dpt_like(config_name, model_name, backbone=None):
    kwargs = dict(neck_hidden_sizes=[8, 16, 24, 32], fusion_hidden_size=16,
                  head_hidden_size=8, reassemble_hidden_size=32)
    if backbone is not None:
        kwargs.update(backbone_config=backbone, patch_size=14)
    else:
        kwargs.update(vit_kwargs(num_hidden_layers=4, image_size=32,
                                 patch_size=16), backbone_out_indices=[0, 1,
                                                                        2, 3])
    return build(config_name, model_name, **kwargs)


@pytest.mark.parametrize('family', [
    'dpt', pytest.param('depth_anything',
                        marks=needs('DepthAnythingForDepthEstimation'))])
def test_a_depth_models_neck_gives_its_four_levels(tmp_path, family):
    if family == 'dpt':
        model, size = dpt_like('DPTConfig', 'DPTForDepthEstimation'), 32
    else:
        backbone = transformers.Dinov2Config(**vit_kwargs(
            num_hidden_layers=4, patch_size=14, image_size=28,
            out_features=['stage1', 'stage2', 'stage3', 'stage4'],
            reshape_hidden_states=False))
        model = dpt_like('DepthAnythingConfig',
                         'DepthAnythingForDepthEstimation', backbone)
        size = 28
    folder = save_folder(tmp_path, model)
    x = torch.randn(2, 3, size, size)
    levels = teacher_of(folder, 'neck', out_index=[0, 1, 2, 3])(x)
    expected = hooked(model, 'neck', x)
    assert len(levels) == 4
    for ours, theirs in zip(levels, expected):
        close(ours, theirs)
    if family == 'depth_anything':  # the backbone's tokens, class dropped
        maps = teacher_of(folder, 'backbone', out_index=[0, 3])(x)
        with torch.no_grad():
            tokens = model.backbone(x).feature_maps
        close(maps[1], patch_map(tokens[3], 1, 2, 2))


def test_segformers_stage_norm_is_its_hidden_state(tmp_path):
    model = build('SegformerConfig', 'SegformerForSemanticSegmentation',
                  hidden_sizes=[8, 16, 24, 32], depths=[1, 1, 1, 1],
                  num_attention_heads=[1, 1, 1, 1], decoder_hidden_size=16,
                  num_labels=3)
    folder = save_folder(tmp_path, model)
    x = torch.randn(2, 3, 64, 64)
    with torch.no_grad():
        hidden = model.segformer(x, output_hidden_states=True).hidden_states
    stage = named(model, 'segformer.encoder.layer_norm.1',
                  'segformer.stages.1.layer_norm')
    close(teacher_of(folder, stage)(x), hidden[1])
    # the base model: its last stage's map, whatever its modules are called
    close(teacher_of(folder, 'segformer')(x), hidden[3])


def test_mask2formers_pixel_decoder_gives_its_multi_scale_maps(tmp_path):
    swin = transformers.SwinConfig(
        image_size=64, patch_size=4, embed_dim=8, depths=[1, 1, 1, 1],
        num_heads=[1, 1, 1, 1], window_size=2,
        out_features=['stage1', 'stage2', 'stage3', 'stage4'])
    model = build('Mask2FormerConfig', 'Mask2FormerForUniversalSegmentation',
                  backbone_config=swin, feature_size=32, mask_feature_size=32,
                  hidden_dim=32, encoder_feedforward_dim=32,
                  dim_feedforward=32, encoder_layers=1, decoder_layers=2,
                  num_attention_heads=2, num_queries=4, num_labels=3)
    folder = save_folder(tmp_path, model)
    x = torch.randn(1, 3, 64, 64)
    maps = teacher_of(folder, 'model.pixel_level_module.decoder',
                      out_index=[0, 1, 2])(x)
    with torch.no_grad():
        out = model.model(pixel_values=x, output_hidden_states=True)
    for ours, theirs in zip(maps, out.pixel_decoder_hidden_states):
        close(ours, theirs)
    mask = teacher_of(folder,
                      'model.pixel_level_module.decoder.mask_projection')(x)
    close(mask, out.pixel_decoder_last_hidden_state)


def sam(tmp_path):
    model = build('SamConfig', 'SamModel', vision_config=dict(
        hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
        mlp_dim=64, output_channels=16, image_size=64, patch_size=16,
        global_attn_indexes=[1], window_size=2))
    return model, save_folder(tmp_path, model)


def test_sams_image_encoder_gives_its_embeddings_and_layer_maps(tmp_path):
    model, folder = sam(tmp_path)
    x = torch.randn(2, 3, 64, 64)
    with torch.no_grad():
        out = model.vision_encoder(x, output_hidden_states=True)
    close(teacher_of(folder, 'vision_encoder')(x), out.last_hidden_state)
    # its blocks are laid out (B, h, w, C): permuted to a map
    close(teacher_of(folder, 'vision_encoder.layers.1')(x),
          out.hidden_states[2].permute(0, 3, 1, 2))
    with pytest.raises(ValueError, match=r'SamModel refused a \(1, 3, 48, '
                       r'48\) input'):
        teacher_of(folder, 'vision_encoder')(torch.randn(1, 3, 48, 48))


# -- normalisation, freezing, precision, errors ------------------------------
def test_the_folders_normalisation_is_the_teachers(tmp_path):
    model = build('Dinov2Config', 'Dinov2Model', **vit_kwargs(
        patch_size=14, image_size=28))
    folder = save_folder(tmp_path, model, mean=(0.5, 0.5, 0.5),
                         std=(0.5, 0.5, 0.5))
    imagenet = dict(student_mean=[123.675, 116.28, 103.53],
                    student_std=[58.395, 57.12, 57.375])
    teacher = teacher_of(folder, 'layernorm', **imagenet)
    pixels = torch.rand(1, 3, 28, 28) * 255  # RGB, 0-255
    student = (pixels - torch.tensor(imagenet['student_mean']).view(
        1, 3, 1, 1)) / torch.tensor(imagenet['student_std']).view(1, 3, 1, 1)
    with torch.no_grad():  # what its image processor would give it
        last = model(pixel_values=(pixels / 255 - 0.5) / 0.5).last_hidden_state
    close(teacher(student), patch_map(last, 1, 2, 2))
    # an explicit mean / std overrides the folder's
    same = teacher_of(folder, 'layernorm', mean=imagenet['student_mean'],
                      std=imagenet['student_std'], **imagenet)
    close(same.scale, torch.ones(1, 3, 1, 1))
    close(same.shift, torch.zeros(1, 3, 1, 1))
    # the student's normalisation unknown and different: said, not guessed
    with pytest.raises(ValueError, match=r'preprocessor_config.json\) '
                       r'normalises with mean \[127.5, 127.5, 127.5\].*'
                       'student_mean'):
        teacher_of(folder, 'layernorm')


def test_frozen_and_under_bf16_autocast(tmp_path):
    model = build('Dinov2Config', 'Dinov2Model', **vit_kwargs(
        patch_size=14, image_size=28))
    folder = save_folder(tmp_path, model)
    teacher = teacher_of(folder, 'layernorm')
    assert list(teacher.parameters()) == [] and teacher.state_dict() == {}
    assert teacher.weights == folder and folder in repr(teacher)
    x = torch.randn(2, 3, 28, 28, requires_grad=True)
    out = teacher(x)
    assert not out.requires_grad
    fast = teacher_of(folder, 'layernorm', autocast_dtype='bfloat16')(x)
    assert fast.dtype == torch.float32
    torch.testing.assert_close(fast, out, rtol=0.05, atol=0.05)


def test_missing_files_and_unknown_names_are_named(tmp_path):
    with pytest.raises(FileNotFoundError, match='model folder not found: '
                       '.*config.json, model.safetensors'):
        TransformersFeatures('layernorm', folder=str(tmp_path / 'none'))
    (tmp_path / 'empty').mkdir()
    with pytest.raises(FileNotFoundError, match='has no config.json'):
        TransformersFeatures('layernorm', folder=str(tmp_path / 'empty'))
    model = build('Dinov2Config', 'Dinov2Model', **vit_kwargs(
        patch_size=14, image_size=28))
    folder = save_folder(tmp_path, model)
    with pytest.raises(ValueError, match=r"no layer 'encoder.layers.1' "
                       r"\(close: \['encoder.layer.1'"):
        TransformersFeatures('encoder.layers.1', folder=folder)
    weights = tmp_path / 'model' / 'model.safetensors'
    data = weights.read_bytes()
    weights.write_bytes(data[:len(data) // 2])  # a download cut short
    with pytest.raises(RuntimeError, match='could not be read.*download '
                       'complete'):
        TransformersFeatures('layernorm', folder=folder)
    weights.unlink()
    with pytest.raises(FileNotFoundError, match=r'has no weights \('
                       'model.safetensors, pytorch_model.bin'):
        TransformersFeatures('layernorm', folder=folder)
    random = TransformersFeatures('layernorm', folder=folder,
                                  pretrained=False)
    assert random.weights_source is None
    config = json.loads((tmp_path / 'model' / 'config.json').read_text())
    config['architectures'] = ['Dinov9Model']
    (tmp_path / 'model' / 'config.json').write_text(json.dumps(config))
    with pytest.raises(ValueError, match="architecture 'Dinov9Model', which "
                       'the installed transformers'):
        TransformersFeatures('layernorm', folder=folder)
    del config['architectures']
    config['model_type'] = 'dinov9'
    (tmp_path / 'model' / 'config.json').write_text(json.dumps(config))
    with pytest.raises(ValueError, match='not a model config that the '
                       'installed transformers knows'):
        TransformersFeatures('layernorm', folder=folder)


def test_weights_of_another_model_are_refused(tmp_path):
    small = build('Dinov2Config', 'Dinov2Model', **vit_kwargs(
        patch_size=14, image_size=28))
    folder = save_folder(tmp_path, small)
    other = build('Dinov2Config', 'Dinov2Model', **vit_kwargs(
        patch_size=14, image_size=28, num_hidden_layers=3))
    other.save_pretrained(tmp_path / 'other', safe_serialization=True)
    (tmp_path / 'other' / 'model.safetensors').replace(
        tmp_path / 'model' / 'model.safetensors')  # a 3-block model's
    with pytest.raises(RuntimeError, match='do not fit its Dinov2Model: 0 '
                       'missing keys.*[1-9][0-9]* unexpected keys'):
        teacher_of(folder, 'layernorm')


def test_a_config_alone_gives_a_random_teacher_of_that_family():
    config = dict(architecture='Dinov2Model', **vit_kwargs(
        patch_size=14, image_size=28))
    teacher = FrozenTeacher(model=dict(type='mmxtkd.TransformersFeatures',
                                       config=config, layer='layernorm'),
                            init_seed=3)
    assert teacher(torch.randn(1, 3, 28, 42)).shape == (1, 32, 2, 3)
    again = FrozenTeacher(model=dict(type='mmxtkd.TransformersFeatures',
                                     config=config, layer='layernorm'),
                          init_seed=3)
    x = torch.randn(1, 3, 28, 28)
    close(again(x), teacher(x))  # the seed decides the teacher
    with pytest.raises(ValueError, match='a folder or a config, exactly one'):
        TransformersFeatures('layernorm')
    with pytest.raises(ValueError, match="needs 'architecture'"):
        TransformersFeatures('layernorm', config=dict(hidden_size=8))


@pytest.mark.parametrize('family', [
    'convnext', pytest.param('hiera',
                             marks=needs('HieraForImageClassification'))])
def test_a_hierarchical_backbones_stages_from_a_classifiers_folder(
        tmp_path, family):
    """out_features: the family's AutoBackbone from a classifier's folder,
    its stages' maps each after a stage norm that starts as a plain
    standardisation over channels (computed here by hand)."""
    if family == 'convnext':
        model = build('ConvNextConfig', 'ConvNextForImageClassification',
                      hidden_sizes=[8, 16, 24, 32], depths=[1, 1, 1, 1],
                      num_labels=3)
        size = (64, 96)
    else:  # Hiera's tokens are unrolled: only its reshaped states are maps
        model = build('HieraConfig', 'HieraForImageClassification',
                      embed_dim=8, depths=[1, 1, 1, 1], num_heads=[1, 1, 1, 1],
                      image_size=[64, 64], num_labels=3)
        size = (64, 64)
    folder = save_folder(tmp_path, model)
    teacher = FrozenTeacher(
        model=dict(type='mmxtkd.TransformersFeatures', folder=folder,
                   out_features=['stage2', 'stage4']), out_index=[0, 1])
    x = torch.randn(2, 3, *size)
    if family == 'convnext':  # the classifier's own stages, normed by hand
        with torch.no_grad():
            states = model.base_model(x, output_hidden_states=True
                                      ).hidden_states
        eps = next(m.eps for n, m in teacher.encoder.named_modules()
                   if n.startswith('hidden_states_norms.'))
        expected = []
        for stage in (2, 4):
            z = states[stage]
            mean = z.mean(1, keepdim=True)
            var = z.var(1, unbiased=False, keepdim=True)
            expected.append((z - mean) / torch.sqrt(var + eps))
    else:
        # transformers' HieraBackbone does not unroll its tokens as
        # HieraModel does, so its maps are not HieraModel's reshaped
        # states: the reference is its own, loading the same folder
        # (AutoBackbone.from_pretrained of a folder asks the hub in
        # transformers 5.25, hence the class)
        reference = transformers.HieraBackbone.from_pretrained(
            folder, out_features=['stage2', 'stage4']).eval()
        with torch.no_grad():
            expected = reference(x).feature_maps
    for ours, theirs in zip(teacher(x), expected):
        close(ours, theirs)
    with pytest.raises(ValueError, match=r"out_features \['stage9'\] are "
                       'not stages'):
        TransformersFeatures(folder=folder, out_features=['stage9'])
    with pytest.raises(ValueError, match='a layer or a hierarchical'):
        TransformersFeatures('layernorm', folder=folder,
                             out_features=['stage2'])
