"""A ``transformers`` vision model from a local folder, returning one
layer's map: the teacher adapter for the folders users have from the
Hugging Face hub (``config.json`` + ``model.safetensors`` +
``preprocessor_config.json``), read without any hub access."""
import difflib
import inspect
import json
import os.path as osp
from typing import List, Optional, Sequence, Tuple, Union

import torch
import torch.nn as nn

from mmxtkd.registry import MODELS
from .adopted_modules import adopt_module_tree

#: children that hold a multimodal model's image tower (CLIP, SigLIP, SAM)
VISION_TOWERS = ('vision_model', 'vision_encoder')
#: the most leading (class / register / distillation) tokens a ViT keeps
MAX_PREFIX_TOKENS = 16


class _Captured(Exception):
    """Raised by the forward hook once the named layer has run: the layers
    after it are not run."""


def _patch_size(config) -> Optional[int]:
    """The stride of the model's first tokens: its patch size (a
    hierarchical model's first stage's: SegFormer's ``strides[0]``)."""
    size = getattr(config, 'patch_size', None)
    if size is None and getattr(config, 'strides', None):
        size = config.strides[0]
    if size is None:
        for sub in ('vision_config', 'backbone_config'):
            if getattr(config, sub, None) is not None:
                return _patch_size(getattr(config, sub))
        return None
    return size[0] if isinstance(size, (list, tuple)) else int(size)


def _on_image_grid(size: Tuple[int, int], h: int, w: int) -> bool:
    """Whether (h, w) is the image (H, W) subsampled by one stride (either
    rounding: convolutions floor, padded windows ceil)."""
    if h < 1 or w < 1:
        return False
    stride = max(1, round(size[0] / h))
    return (h in (size[0] // stride, -(-size[0] // stride))
            and w in (size[1] // stride, -(-size[1] // stride)))


def tokens_on_patch_grid(tokens: torch.Tensor, size: Tuple[int, int],
                         patch: int) -> torch.Tensor:
    """ViT tokens (B, N, C) of a (H, W) input -> the patch tokens' map
    (B, C, h, w): the leading class / register tokens dropped (their number
    is what N exceeds the grid by), at stride ``patch`` or a multiple
    (hierarchical stages: patch * 2**k)."""
    b, n, c = tokens.shape
    for k in range(6):
        stride = patch * 2**k
        for h in {size[0] // stride, -(-size[0] // stride)}:
            for w in {size[1] // stride, -(-size[1] // stride)}:
                prefix = n - h * w
                if h * w and 0 <= prefix <= (MAX_PREFIX_TOKENS if k == 0
                                             else 0):
                    return tokens[:, prefix:].transpose(1, 2).reshape(
                        b, c, h, w)
    raise ValueError(
        f'{n} tokens of a {size[0]}x{size[1]} input lie on no grid of '
        f'patch {patch} (or a multiple) after at most {MAX_PREFIX_TOKENS} '
        'leading tokens; name a layer whose output is a map, e.g. the '
        "model's reshaped_hidden_states (Hiera's tokens are unrolled)")


def as_map(out, size: Tuple[int, int], patch: Optional[int]
           ) -> Union[torch.Tensor, Tuple[torch.Tensor, ...]]:
    """What a transformers layer returns -> (B, C, h, w), or a tuple of
    maps (a backbone's feature maps, a neck's levels).

    A model output gives its first field (a backbone's ``feature_maps``, a
    pixel decoder's multi-scale maps: all of them), a tuple its first
    element (a layer's hidden states), a list its every element (DPT's
    neck); tokens (B, N, C) become the patch map; a 4-D
    tensor laid out (B, h, w, C) on the image's grid (SAM's and Hiera's)
    is permuted."""
    if hasattr(out, 'to_tuple'):  # a model output: all of its first field
        first = (out.feature_maps if getattr(out, 'feature_maps', None)
                 is not None else out[0])
        return (tuple(as_map(m, size, patch) for m in first)
                if isinstance(first, (tuple, list)) else
                as_map(first, size, patch))
    if isinstance(out, list):
        return tuple(as_map(m, size, patch) for m in out)
    if isinstance(out, tuple):  # a layer's (hidden states, attention ...)
        return as_map(out[0], size, patch)
    if not torch.is_tensor(out):
        raise ValueError(f'the layer returned a {type(out).__name__}, not '
                         'a tensor')
    if out.dim() == 3:
        if patch is None:
            raise ValueError('the layer returns tokens, but the model config '
                             'has no patch_size to lay them on a grid')
        return tokens_on_patch_grid(out, size, patch)
    if out.dim() == 4 and not _on_image_grid(size, *out.shape[2:]) and \
            _on_image_grid(size, *out.shape[1:3]):
        return out.permute(0, 3, 1, 2)
    if out.dim() != 4:
        raise ValueError(f'the layer returned a tensor of shape '
                         f'{tuple(out.shape)}; expected tokens (B, N, C) or '
                         'a map')
    return out


def _model_class(arch: str, where: str):
    """The transformers model class named ``arch``."""
    import transformers
    model_class = getattr(transformers, arch, None)
    if model_class is None:
        raise ValueError(
            f'{where} names the architecture {arch!r}, which the installed '
            f'transformers {transformers.__version__} does not have')
    return model_class


def read_folder_config(folder: str):
    """The folder's ``config.json`` as a transformers config, offline, and
    the model class it names (``architectures[0]``; None: not named)."""
    if not osp.isdir(folder):
        raise FileNotFoundError(
            f'transformers model folder not found: {folder}. Put the model '
            "repository's config.json, model.safetensors and "
            'preprocessor_config.json there (e.g. `hf download MODEL_ID '
            '--local-dir FOLDER` on a machine with network access).')
    if not osp.isfile(osp.join(folder, 'config.json')):
        raise FileNotFoundError(
            f'{folder} has no config.json: copy the whole model repository '
            '(config.json, model.safetensors, preprocessor_config.json)')
    with open(osp.join(folder, 'config.json')) as f:
        arch = (json.load(f).get('architectures') or [None])[0]
    model_class = (_model_class(arch, f'{folder}/config.json') if arch
                   else None)
    from transformers import AutoConfig
    config_class = model_class.config_class if model_class else AutoConfig
    try:
        config = config_class.from_pretrained(folder, local_files_only=True)
    except (ValueError, KeyError, OSError) as err:
        raise ValueError(f'{folder}/config.json is not a model config that '
                         f'the installed transformers knows ({err}); a '
                         'newer transformers may know it') from err
    return config, model_class


#: the weights files of a hub folder, in the order transformers reads them
WEIGHTS_FILES = ('model.safetensors', 'model.safetensors.index.json',
                 'pytorch_model.bin', 'pytorch_model.bin.index.json')


#: what a family's AutoBackbone adds to its model: a norm on each stage it
#: outputs, which a classifier's files do not hold (transformers then
#: initialises them as it does: weight 1, bias 0)
BACKBONE_OWN_WEIGHTS = 'hidden_states_norms.'  # under any prefix


def load_folder_weights(folder: str, model_class, config,
                        backbone: bool = False) -> nn.Module:
    """The folder's model with its weights, read by transformers offline
    (its own key renames across releases, shards and tied weights), refused
    unless every weight is in the files and every file's weight fits. As a
    ``backbone`` (AutoBackbone), the folder's head is left out and the
    backbone's stage norms may be missing."""
    from safetensors import SafetensorError

    from mmxtkd.utils.pretrained import first_few
    if not any(osp.isfile(osp.join(folder, f)) for f in WEIGHTS_FILES):
        raise FileNotFoundError(
            f'{folder} has no weights ({", ".join(WEIGHTS_FILES[::2])}): '
            'copy them from the model repository, or give pretrained=False '
            'for a randomly initialised teacher')
    try:
        model, info = model_class.from_pretrained(
            folder, config=config, local_files_only=True,
            output_loading_info=True)
    except (OSError, ValueError, RuntimeError, EOFError,
            SafetensorError) as err:
        raise RuntimeError(
            f'the weights in {folder} could not be read ({err}). Is the '
            'download complete? Fetch the files again.') from err
    misfit = {kind: [str(k) for k in info.get(kind) or []]
              for kind in ('missing_keys', 'unexpected_keys',
                           'mismatched_keys')}
    if backbone:
        misfit['unexpected_keys'] = []
        misfit['missing_keys'] = [k for k in misfit['missing_keys']
                                  if BACKBONE_OWN_WEIGHTS not in k]
    if any(misfit.values()):
        raise RuntimeError(
            f'the weights in {folder} do not fit its '
            f'{type(model).__name__}: ' + ', '.join(
                f'{len(keys)} {kind.replace("_", " ")} [{first_few(keys)}]'
                for kind, keys in misfit.items()))
    broken = [k for k, v in model.state_dict().items()
              if v.is_floating_point() and not torch.isfinite(v).all()]
    if broken:
        raise RuntimeError(
            f'the weights in {folder} hold NaN or Inf in {len(broken)} '
            f'tensors ({first_few(broken)}): the files are damaged; fetch '
            'them again')
    return model


def as_backbone(config, out_features: Sequence[str]):
    """Set a hierarchical family's ``out_features`` (AutoBackbone's stage
    names) on its config and return its AutoBackbone class, or say that it
    has none."""
    stages = getattr(config, 'stage_names', None)
    if not stages:
        raise ValueError(f'{type(config).__name__} has no stages '
                         '(stage_names) for out_features: name a layer')
    unknown = [f for f in out_features if f not in stages]
    if unknown:
        raise ValueError(f'out_features {unknown} are not stages of '
                         f'{type(config).__name__}: {list(stages)}')
    from transformers import AutoBackbone
    backbone = AutoBackbone._model_mapping.get(type(config), None)
    if backbone is None:
        raise ValueError(f'{type(config).__name__} has no AutoBackbone: '
                         'name a layer')
    config.out_features = list(out_features)
    return backbone


def config_from_dict(config: dict):
    """``dict(architecture='Dinov2Model', hidden_size=...)`` -> the
    transformers config of that class with those fields, and the class."""
    config = dict(config)
    arch = config.pop('architecture', None)
    if arch is None:
        raise ValueError("a TransformersFeatures config needs 'architecture'"
                         ": a transformers model class, e.g. 'Dinov2Model'")
    model_class = _model_class(arch, 'the config')
    return model_class.config_class(**config), model_class


def read_normalisation(
        folder: str) -> Tuple[Optional[List[float]], Optional[List[float]]]:
    """``image_mean`` / ``image_std`` of the folder's
    ``preprocessor_config.json`` on the 0-255 scale (RGB), or (None, None)
    without that file. An image processor that does not normalise gives
    mean 0, std 255 (the [0, 1] images of its rescaling)."""
    path = osp.join(folder, 'preprocessor_config.json')
    if not osp.isfile(path):
        return None, None
    with open(path) as f:
        cfg = json.load(f)
    if not cfg.get('do_normalize', True):
        return [0.0] * 3, [255.0] * 3
    mean, std = cfg.get('image_mean'), cfg.get('image_std')
    if mean is None or std is None:
        return None, None
    mean, std = ([v] * 3 if isinstance(v, (int, float)) else v
                 for v in (mean, std))
    scale = 1.0 / cfg.get('rescale_factor', 1 / 255)
    return [m * scale for m in mean], [s * scale for s in std]


@MODELS.register_module()
class TransformersFeatures(nn.Module):
    """A ``transformers`` model read from a local folder (``config.json``
and its weights, by transformers itself, offline), returning the map of
one named layer, the layers after it not run.

    The model is the folder's own architecture (``architectures[0]``:
    ``Dinov2Model``, ``DepthAnythingForDepthEstimation``,
    ``SegformerForSemanticSegmentation``, ``SamModel`` ...) with the
    folder's weights, which transformers reads (its key renames between
    releases, shards and tied weights included); a weight missing from the
    files, a file's weight the model has not, or a shape that differs is an
    error naming them, as are damaged files and NaN / Inf weights. The
    teacher then needs no ``checkpoint``:
    ``FrozenTeacher(model=dict(type='mmxtkd.TransformersFeatures',
    folder=F, layer=L))``.

    ``layer`` is a submodule's dotted name (``model.named_modules()``); a
    hook takes its output and stops the forward there. The forward runs
    the model's top-level child holding the layer when that child takes
    ``pixel_values`` (``dinov2``, ``vision_model``, ``vision_encoder``),
    else the whole model (DPT's and Depth Anything's ``neck``). The output
    becomes a map by :func:`as_map`: ViT tokens lose their class and
    register tokens and lie on the patch grid (any input size the model
    takes: DINOv2 interpolates its position embeddings, ViT / CLIP /
    SigLIP are asked to with ``interpolate_pos_encoding``; SAM refuses
    other sizes), channel-last maps are permuted, a backbone's or a
    neck's several maps come as a tuple for FrozenTeacher's
    ``out_index``. Examples: DINOv2 ``'layernorm'`` (its normalised last
    tokens) or ``'encoder.layer.11'``; Depth Anything ``'backbone'`` and
    ``'neck'``; SegFormer ``'segformer'`` (its last stage's map; a stage's
    norm is ``'segformer.encoder.layer_norm.1'``, in transformers 5
    ``'segformer.stages.1.layer_norm'``: tokens on that stage's grid);
    Mask2Former
    ``'model.pixel_level_module.decoder'`` (the pixel decoder's mask
    features); SAM ``'vision_encoder'`` (the neck's 256-channel map) or
    ``'vision_encoder.layers.11'``; ConvNeXt ``'convnext.encoder.stages.3'``.

    ``input_mean`` / ``input_std``: the folder's
    ``preprocessor_config.json`` normalisation (0-255 RGB), which
    FrozenTeacher re-normalises the student's inputs to.

    ``out_features`` instead of a layer builds the family's AutoBackbone
    (Swin, ConvNeXt, Hiera, DINOv2 ...) with those stages (its
    ``stage_names``, e.g. ``['stage2', 'stage4']``): the maps it returns,
    each after the backbone's own stage norm, as a tuple. From a
    classifier's folder its head is left out and its stage norms, which the
    files do not hold, start as transformers initialises them (weight 1,
    bias 0). This is the way to Hiera's stages, whose tokens inside the
    model are not in raster order.

    Args:
        layer: a submodule's dotted name.
        folder: the model's local folder.
        out_features: a hierarchical backbone's stages, instead of a
            layer.
        pretrained: False builds the folder's architecture randomly
            initialised (FrozenTeacher's ``init_seed``), reading no weights.
        config: instead of a folder, the model's class and config fields,
            ``dict(architecture='Dinov2Model', hidden_size=64, ...)``: a
            random teacher of that family (synthetic twins, tests).
        attn_implementation: transformers' attention kernel (``'sdpa'``,
            ``'eager'``); None: the library's default.
    """

    def __init__(self, layer: Optional[str] = None,
                 folder: Optional[str] = None,
                 config: Optional[dict] = None, pretrained: bool = True,
                 out_features: Optional[Sequence[str]] = None,
                 attn_implementation: Optional[str] = None) -> None:
        super().__init__()
        if (folder is None) == (config is None):
            raise ValueError('TransformersFeatures takes a folder or a '
                             'config, exactly one')
        if (layer is None) == (out_features is None):
            raise ValueError("TransformersFeatures takes a layer or a "
                             "hierarchical backbone's out_features, exactly "
                             'one')
        config, model_class = (read_folder_config(folder) if folder else
                               config_from_dict(config))
        if attn_implementation is not None:
            config._attn_implementation = attn_implementation
        from transformers import AutoModel
        if out_features is not None:
            model_class = as_backbone(config, out_features)
        elif model_class is None:  # no architectures: the base model
            model_class = AutoModel
        if folder and pretrained:
            model = load_folder_weights(folder, model_class, config,
                                        backbone=out_features is not None)
        elif model_class is AutoModel:
            model = model_class.from_config(config)
        else:
            model = model_class(config)
        model.eval()
        arch = type(model).__name__
        names = [n for n, _ in model.named_modules() if n]
        if layer is not None and layer not in names:
            close = difflib.get_close_matches(layer, names, n=5, cutoff=0.5)
            top = [n for n in names if n.count('.') < 2]
            raise ValueError(
                f'{arch} has no layer {layer!r} (close: {close}); its layers '
                f'include {top[:40]}: any name of model.named_modules()')
        adopt_module_tree(self, model, f'transformers {arch}')
        object.__setattr__(self, '_model', model)  # outside the module tree
        self.folder, self.layer, self.architecture = folder, layer, arch
        #: where the weights come from (FrozenTeacher's messages)
        self.weights_source = folder if folder and pretrained else None
        self.patch_size = _patch_size(config)
        self.input_mean, self.input_std = (read_normalisation(folder)
                                           if folder else (None, None))
        self.out_features = list(out_features or [])
        entry, self._entry_kwargs = (self._entry_point(model, layer)
                                     if layer else (model, {}))
        # both are modules of the adopted tree: kept out of it a second time
        object.__setattr__(self, '_entry', entry)
        object.__setattr__(self, '_target',
                           model.get_submodule(layer) if layer else model)

    @staticmethod
    def _entry_point(model: nn.Module, layer: str) -> Tuple[nn.Module, dict]:
        """The module whose forward takes the images, and its options."""
        child = model.get_submodule(layer.split('.')[0])
        entry = (child if 'pixel_values' in inspect.signature(
            child.forward).parameters else model)
        params = inspect.signature(entry.forward).parameters
        kwargs = {'interpolate_pos_encoding': True} if (
            'interpolate_pos_encoding' in params) else {}
        return entry, kwargs

    def forward(self, inputs: torch.Tensor
                ) -> Union[torch.Tensor, Tuple[torch.Tensor, ...]]:
        """Images (B, 3, H, W) in the model's normalisation -> the layer's
        map (B, C, h, w), or a tuple of maps."""
        captured = []

        def capture(module, args, output):
            captured.append(output)
            raise _Captured

        handle = self._target.register_forward_hook(capture)
        try:
            self._entry(pixel_values=inputs, **self._entry_kwargs)
        except _Captured:
            pass
        except ValueError as err:
            raise ValueError(
                f'transformers {self.architecture} refused a '
                f'{tuple(inputs.shape)} input: {err}') from err
        finally:
            handle.remove()
        if not captured:
            raise RuntimeError(f'{self.architecture} ran without running '
                               f'its layer {self.layer!r}')
        return as_map(captured[0], tuple(inputs.shape[-2:]), self.patch_size)

    def extra_repr(self) -> str:
        return (f'folder={self.folder}, layer={self.layer}, '
                f'architecture={self.architecture}')
