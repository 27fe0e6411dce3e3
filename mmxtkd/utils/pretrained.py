"""Checks of a model's ``init_cfg=dict(type='Pretrained', ...)`` before
mmengine loads it.

mmengine's ``PretrainedInit`` loads with ``strict=False`` and only logs what
did not fit, so a file of another architecture (or one never converted)
silently leaves the encoder random. Here a missing file is an error that
names the converter to run, and every key and shape must fit.
"""
import os.path as osp
import re
from typing import Dict, Iterator, List, Optional, Sequence, Set, Tuple

import torch
import torch.nn as nn
from mmengine.logging import print_log
from mmengine.runner.checkpoint import _load_checkpoint

#: backbone class -> (converter script, the public file it converts)
CONVERTERS: Dict[str, Tuple[str, str]] = {
    'MobileNetV2': ('tools/model_converters/mobilenetv2_timm_to_mmpretrain.py',
                    "timm's mobilenetv2_050 model.safetensors"),
    'EfficientNet':
    ('tools/model_converters/efficientnet_torchvision_to_mmpretrain.py',
     'efficientnet_b0_rwightman-7f5810bc.pth (torchvision)'),
    'ResNet': ('tools/model_converters/resnet_torchvision_to_mmpretrain.py',
               'resnet50-0676ba61.pth (torchvision)'),
    'SwinTransformerV2':
    ('tools/model_converters/swinv2_ait_to_mmpretrain.py',
     "AiT's ait_depth_swinv2b_ar.pth / ait_insseg_swinv2b.pth"),
    'VisionTransformer':
    ('tools/model_converters/vit_torchvision_to_mmpretrain.py',
     'vit_b_16-c867db91.pth (torchvision)'),
}

#: files used as OpenMMLab's model zoos publish them -> their address
ZOO_FILES: Dict[str, str] = {
    'swinv2-base-w12_3rdparty_in21k-192px_20220803-f7dc9763.pth':
    'https://download.openmmlab.com/mmclassification/v0/swin-v2/pretrain/'
    'swinv2-base-w12_3rdparty_in21k-192px_20220803-f7dc9763.pth',
}


def pretrained_inits(
        model: nn.Module) -> Iterator[Tuple[str, nn.Module, dict]]:
    """``(name, module, init_cfg)`` of each ``Pretrained`` init in it."""
    for name, module in model.named_modules():
        cfgs = getattr(module, 'init_cfg', None)
        for cfg in cfgs if isinstance(cfgs, list) else [cfgs]:
            if isinstance(cfg, dict) and cfg.get('type') == 'Pretrained':
                yield name, module, cfg


def read_state_dict(path: str,
                    revise_keys: Sequence[Tuple[str, str]] = ((r'^module\.',
                                                               ''), ),
                    prefix: Optional[str] = None) -> dict:
    """The weights in the checkpoint ``path``: its ``state_dict`` (or
    ``model``) entry, or the file itself when it is a bare state dict (as
    torchvision's are; a ``.safetensors`` file is one); keys revised by the
    ``(pattern, replacement)`` pairs
    as in mmengine's ``load_checkpoint``, then only those under ``prefix``,
    with the prefix removed."""
    if path.endswith('.safetensors'):  # timm's / Hugging Face's hub files
        from safetensors import SafetensorError
        from safetensors.torch import load_file
        if not osp.isfile(path):
            raise FileNotFoundError(f'{path} can not be found.')
        try:
            state = load_file(path)
        except SafetensorError as err:
            raise ValueError(f'{path} is not a readable safetensors file: '
                             f'{err}') from err
    else:
        state = _load_checkpoint(path, map_location='cpu')
    for key in ('state_dict', 'model'):
        if isinstance(state, dict) and key in state:
            state = state[key]
            break
    if not isinstance(state, dict):
        raise ValueError(f'{path} holds no state dict')
    for pattern, repl in revise_keys:
        state = {re.sub(pattern, repl, k): v for k, v in state.items()}
    if prefix:
        prefix = prefix if prefix.endswith('.') else prefix + '.'
        state = {k[len(prefix):]: v for k, v in state.items()
                 if k.startswith(prefix)}
    return state


def first_few(items: List[str], sep: str = ', ') -> str:
    """The first five items joined, '...' after them when there are more."""
    return sep.join(items[:5]) + (' ...' if len(items) > 5 else '')


def shape_mismatches(own: dict, loaded: dict) -> List[str]:
    """``'key: checkpoint (shape) vs model (shape)'`` for every key of both
    state dicts whose shapes differ."""
    return [f'{k}: checkpoint {tuple(v.shape)} vs model '
            f'{tuple(own[k].shape)}' for k, v in loaded.items()
            if k in own and tuple(v.shape) != tuple(own[k].shape)]


def state_dict_misfit(own: dict, loaded: dict) -> str:
    """What keeps ``loaded`` from fitting a module whose state dict is
    ``own``: '' when every key and shape match, else the missing keys, the
    unexpected keys and the shape mismatches (the first five of each)."""
    missing = sorted(set(own) - set(loaded))
    unexpected = sorted(set(loaded) - set(own))
    wrong = shape_mismatches(own, loaded)
    if not (missing or unexpected or wrong):
        return ''
    return (f'{len(missing)} missing keys [{first_few(missing)}], '
            f'{len(unexpected)} unexpected keys [{first_few(unexpected)}], '
            f'{len(wrong)} shape mismatches [{first_few(wrong)}]')


def recomputed_on_load(module: nn.Module, loaded: dict) -> Set[str]:
    """Keys of ``loaded`` that ``module.load_state_dict`` drops before loading
    because the module recomputes them (mmpretrain's SwinV2 rebuilds its
    window tables for its own window sizes): its load pre-hooks, run on a
    copy."""
    probe = dict(loaded)
    for name, sub in module.named_modules():
        prefix = f'{name}.' if name else ''
        for hook in sub._load_state_dict_pre_hooks.values():
            hook(probe, prefix, {}, True, [], [], [])
    return set(loaded) - set(probe)


def position_bias_misfit(own: dict, loaded: dict) -> str:
    """SwinV2's continuous position bias maps a window offset to a bias
    through ``relative_coords_table`` (offsets normalised by the window the
    weights were trained with). A model with larger windows must normalise
    by the checkpoint's window (``pretrained_window_sizes``), or every
    learnt bias is read at the wrong offset. '' when, for every table, both
    give the same coordinates at the offsets both cover."""
    wrong = []
    for key, theirs in loaded.items():
        if not key.endswith('relative_coords_table') or key not in own:
            continue
        mine = own[key]
        half = min(theirs.shape[1], mine.shape[1]) // 2

        def centre(table: torch.Tensor) -> torch.Tensor:
            c = table.shape[1] // 2
            return table[:, c - half:c + half + 1, c - half:c + half + 1]

        if not torch.allclose(centre(theirs), centre(mine), atol=1e-5):
            wrong.append(f'{key} (checkpoint window {theirs.shape[1] // 2 + 1}'
                         f', model window {mine.shape[1] // 2 + 1})')
    if not wrong:
        return ''
    return (f'{len(wrong)} relative_coords_table normalised differently '
            f'[{first_few(wrong)}]: '
            "set the backbone's pretrained_window_sizes to the windows the "
            'checkpoint was trained with')


#: the norm an OpenMMLab backbone puts on each stage it outputs (``norm0`` ..
#: ``norm3``): a classifier's checkpoint has only its last stage's
_OUTPUT_NORM = re.compile(r'^norm\d+\.(weight|bias)$')


def check_pretrained_inits(model: nn.Module) -> None:
    """Raise unless every ``Pretrained`` init of ``model`` names a file whose
    keys and shapes are exactly those of its module (but for buffers the
    module recomputes when it loads, and the norms of output stages the
    checkpoint's model did not output) and, for SwinV2, whose position bias
    the module reads at the offsets it was learnt for."""
    for name, module, cfg in pretrained_inits(model):
        path = cfg['checkpoint']
        kind = type(module).__name__
        where = f'{name or "the model"} ({kind})'
        if '://' not in path and not osp.isfile(path):
            url = ZOO_FILES.get(osp.basename(path))
            if url:
                how = f'Download {url} to {path}'
            else:
                script, source = CONVERTERS.get(
                    kind, ('tools/model_converters/', 'the public weights'))
                how = (f'Convert {source} with\n    python {script} '
                       f'<downloaded file> {path}')
            raise FileNotFoundError(
                f'pretrained weights of {where} not found: {path}. '
                f'{how}\nor set another path in the init_cfg.')
        loaded = read_state_dict(path, prefix=cfg.get('prefix'))
        own = module.state_dict()
        fresh = sorted(k for k in own
                       if k not in loaded and _OUTPUT_NORM.match(k))
        if fresh:
            print_log(
                f'{where}: {", ".join(fresh)} start as initialised (not in '
                f'{path}, whose model did not output those stages)',
                logger='current')
            own = {k: v for k, v in own.items() if k not in fresh}
        misfit = position_bias_misfit(own, loaded)
        if not misfit:
            recomputed = recomputed_on_load(module, loaded)
            misfit = state_dict_misfit(
                {k: v for k, v in own.items() if k not in recomputed},
                {k: v for k, v in loaded.items() if k not in recomputed})
        if misfit:
            raise RuntimeError(
                f'pretrained weights {path} do not fit {where}: {misfit}. '
                'Was it converted for this backbone (tools/model_converters/)?'
            )
