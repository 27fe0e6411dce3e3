"""Convert torchvision's EfficientNet (B0-B7) weights, e.g.
``efficientnet_b0_rwightman-7f5810bc.pth`` (the paper's EfficientNet-B0), to
mmpretrain's ``EfficientNet`` backbone.

    python tools/model_converters/efficientnet_torchvision_to_mmpretrain.py \
        efficientnet_b0_rwightman-7f5810bc.pth \
        checkpoints/efficientnet-b0_in1k_torchvision.pth

torchvision pads every conv symmetrically and uses BatchNorm's default eps;
the backbone must do the same to reproduce its features:
``conv_cfg=dict(type='Conv2d'), norm_cfg=dict(type='BN', eps=1e-5)``
(mmpretrain's defaults are TF-style 'same' padding and eps 1e-3).

torchvision has seven block stages (``features.1``-``features.7``), mmpretrain
five: it merges stages 4+5 and 6+7. Blocks are matched in order.
"""
import re
from collections import defaultdict
from typing import Dict, List, Tuple

from mmxtkd.apis.weight_conversion import StateDict, rename_keys, run_converter

_BN = r'(weight|bias|running_mean|running_var|num_batches_tracked)'
#: torchvision stages that form each mmpretrain layer (layers.1 - layers.5)
MERGED_STAGES = ((1, ), (2, ), (3, ), (4, 5), (6, 7))


def _block_positions(state_dict: StateDict) -> Dict[Tuple[int, int], str]:
    """``(stage, block)`` of torchvision -> ``'layers.L.B'`` of mmpretrain."""
    blocks = defaultdict(set)
    for key in state_dict:
        m = re.match(r'^features\.(\d+)\.(\d+)\.block\.', key)
        if m:
            blocks[int(m.group(1))].add(int(m.group(2)))
    stages = sorted(blocks)
    if stages != list(range(1, 8)):
        raise KeyError('a torchvision EfficientNet has block stages '
                       f'features.1-7; this state dict has {stages}')
    positions = {}
    for layer, merged in enumerate(MERGED_STAGES, start=1):
        order: List[Tuple[int, int]] = [(s, b) for s in merged
                                        for b in sorted(blocks[s])]
        for index, stage_block in enumerate(order):
            positions[stage_block] = f'layers.{layer}.{index}'
    return positions


def convert_efficientnet(state_dict: StateDict) -> StateDict:
    """torchvision ``EfficientNet`` keys -> mmpretrain ``EfficientNet`` keys.

    Inside a block torchvision numbers its parts: with an expansion conv
    ``block.0`` expand, ``.1`` depthwise, ``.2`` squeeze-excitation, ``.3``
    projection; without one (expand ratio 1) ``.0`` depthwise, ``.1`` SE,
    ``.2`` projection. Unknown keys raise."""
    positions = _block_positions(state_dict)
    expanded = {(int(m.group(1)), int(m.group(2)))
                for m in (re.match(r'^features\.(\d+)\.(\d+)\.block\.3\.', k)
                          for k in state_dict) if m}
    last = max(int(k.split('.')[1]) for k in state_dict
               if k.startswith('features.'))
    parts = {True: ('expand_conv', 'depthwise_conv', 'se', 'linear_conv'),
             False: ('depthwise_conv', 'se', 'linear_conv')}

    def block(m: re.Match) -> str:
        stage_block = (int(m.group(1)), int(m.group(2)))
        part = parts[stage_block in expanded][int(m.group(3))]
        rest = m.group(4)
        if part == 'se':
            rest = re.sub(r'^fc([12])\.', r'conv\1.conv.', rest)
        else:
            rest = re.sub(r'^0\.', 'conv.', re.sub(r'^1\.', 'bn.', rest))
        return f'{positions[stage_block]}.{part}.{rest}'

    rules = [
        (r'^features\.0\.0\.(weight)$', r'layers.0.conv.\1'),
        (r'^features\.0\.1\.' + _BN + '$', r'layers.0.bn.\1'),
        (rf'^features\.{last}\.0\.(weight)$',
         rf'layers.{len(MERGED_STAGES) + 1}.conv.\1'),
        (rf'^features\.{last}\.1\.' + _BN + '$',
         rf'layers.{len(MERGED_STAGES) + 1}.bn.\1'),
        (r'^features\.(\d+)\.(\d+)\.block\.(\d)\.((?:0\.weight|1\.'
         r'(?:weight|bias|running_mean|running_var|num_batches_tracked)|'
         r'fc[12]\.(?:weight|bias)))$', block),
    ]
    return rename_keys(state_dict, rules, dropped=[r'^classifier\.'],
                       source="torchvision's EfficientNet")


if __name__ == '__main__':
    run_converter(__doc__, convert_efficientnet)
