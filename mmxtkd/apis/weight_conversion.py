"""What every converter in ``tools/model_converters/`` shares: reading a
public checkpoint in the format it is published in, renaming its keys by
pattern, and writing an mmengine checkpoint of the converted weights."""
import argparse
import os
import os.path as osp
import re
import sys
from typing import Callable, Dict, Iterable, Optional, Sequence, Tuple, Union

import torch

StateDict = Dict[str, torch.Tensor]
#: ``(pattern, replacement)``: a ``re.sub`` template or a function of the match
KeyRule = Tuple[str, Union[str, Callable[[re.Match], str]]]


def load_state_dict_file(path: str, unsafe: bool = False) -> StateDict:
    """The tensors of a checkpoint file: ``.safetensors`` or a torch pickle,
    unwrapped from ``state_dict`` / ``model`` / ``module.`` nesting.

    Torch files load with ``weights_only=True``; ``unsafe=True`` allows any
    pickled object (only for a file you trust)."""
    if not osp.isfile(path):
        raise FileNotFoundError(f'checkpoint not found: {path}')
    try:
        if path.endswith('.safetensors'):
            from safetensors.torch import load_file
            state = load_file(path)
        else:
            state = torch.load(path, map_location='cpu',
                               weights_only=not unsafe)
    except Exception as e:
        hint = ('' if unsafe else ' If it holds more than tensors and you '
                'trust it, convert it with --unsafe-load.')
        raise RuntimeError(f'cannot read the checkpoint {path}: {e}.{hint}') \
            from e
    for key in ('state_dict', 'model'):
        if isinstance(state, dict) and isinstance(state.get(key), dict):
            state = state[key]
            break
    if not isinstance(state, dict) or not all(
            isinstance(v, torch.Tensor) for v in state.values()):
        raise ValueError(f'{path} holds no state dict of tensors')
    return {re.sub(r'^module\.', '', k): v for k, v in state.items()}


def rename_keys(state: StateDict, rules: Sequence[KeyRule],
                dropped: Iterable[str] = (), source: str = 'the') -> StateDict:
    """Rename each key by the first rule whose pattern matches it; keys
    matching a ``dropped`` pattern are left out, any other key raises."""
    dropped = [re.compile(p) for p in dropped]
    out = {}
    for key, value in state.items():
        if any(p.match(key) for p in dropped):
            continue
        for pattern, repl in rules:
            match = re.match(pattern, key)
            if match:
                out[match.expand(repl) if isinstance(repl, str) else
                    repl(match)] = value
                break
        else:
            raise KeyError(f'unexpected key in {source} state dict: {key}')
    return out


def save_converted(state: StateDict, dst: str, src: str,
                   converter: str) -> None:
    """An mmengine checkpoint: ``{'meta': ..., 'state_dict': state}``."""
    if osp.dirname(dst):
        os.makedirs(osp.dirname(dst), exist_ok=True)
    torch.save(dict(meta=dict(source=osp.basename(src), converter=converter),
                    state_dict=state), dst)


def run_converter(doc: str, convert: Callable[..., StateDict],
                  options: Optional[Callable[[argparse.ArgumentParser],
                                             None]] = None) -> None:
    """Command line of a converter: ``SRC DST [options]``; the options a
    converter adds are passed to ``convert`` as keyword arguments."""
    parser = argparse.ArgumentParser(
        description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('src', help='the downloaded checkpoint')
    parser.add_argument('dst', help='the mmengine checkpoint to write')
    parser.add_argument(
        '--unsafe-load', action='store_true',
        help='unpickle any object in SRC (only for a file you trust)')
    if options is not None:
        options(parser)
    args = vars(parser.parse_args())
    src, dst, unsafe = args.pop('src'), args.pop('dst'), args.pop(
        'unsafe_load')
    converted = convert(load_state_dict_file(src, unsafe), **args)
    save_converted(converted, dst, src,
                   osp.splitext(osp.basename(sys.argv[0]))[0])
    print(f'wrote {len(converted)} tensors to {dst}')
