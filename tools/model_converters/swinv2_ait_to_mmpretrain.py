"""Convert the SwinV2 backbone of an AiT checkpoint
(``ait_depth_swinv2b_ar.pth``, ``ait_insseg_swinv2b.pth`` from
SwinTransformer/AiT) to mmpretrain's
``SwinTransformerV2``: the paper's depth and instance-segmentation teachers.

    python tools/model_converters/swinv2_ait_to_mmpretrain.py \
        ait_depth_swinv2b_ar.pth checkpoints/ait-swinv2b_depth_mmpretrain.pth

AiT's checkpoint holds the whole model (backbone, token transformer, task
heads); only ``backbone.*`` is kept. AiT's ``SwinV2TransformerRPE2FC`` computes
what mmpretrain's ``SwinTransformerV2`` does (cosine attention, log-spaced
continuous position bias through a 2-layer MLP, 16 * sigmoid, post-norm, patch
merging then LayerNorm) with other names, its patch merging at the end of a
stage rather than the start of the next, and its 2x2 patches concatenated in
another order. The backbone options that reproduce AiT's are in
``configs/_base_/teachers/ait-depth.py``.
"""
import re

import torch

from mmxtkd.apis.weight_conversion import StateDict, rename_keys, run_converter

_BLOCK = r'^layers\.(\d+)\.blocks\.(\d+)\.'
_ATTN = r'stages.\1.blocks.\2.attn.w_msa.'


def _merge_order(weight: torch.Tensor) -> torch.Tensor:
    """AiT concatenates the 2x2 patch as [(0,0), (1,0), (0,1), (1,1)] blocks of
    C channels; mmpretrain's ``nn.Unfold`` gives, per channel, the positions in
    the order (0,0), (0,1), (1,0), (1,1). Reorder the (2C, 4C) weight's
    columns from the first layout to the second."""
    out, in4 = weight.shape
    blocks = weight.view(out, 4, in4 // 4)[:, [0, 2, 1, 3]]
    return blocks.transpose(1, 2).reshape(out, in4)


def _next_stage(template: str):

    def repl(m: re.Match) -> str:
        return template.format(int(m.group(1)) + 1, m.group(2))

    return repl


KEY_MAP = [
    (r'^patch_embed\.proj\.(weight|bias)$', r'patch_embed.projection.\1'),
    (r'^patch_embed\.norm\.(weight|bias)$', r'patch_embed.norm.\1'),
    (_BLOCK + r'attn\.(logit_scale|q_bias|v_bias|relative_coords_table|'
     r'relative_position_index)$', _ATTN + r'\3'),
    (_BLOCK + r'attn\.rpe_mlp\.([02])\.(weight|bias)$',
     _ATTN + r'cpb_mlp.\3.\4'),
    (_BLOCK + r'attn\.(qkv|proj)\.(weight|bias)$', _ATTN + r'\3.\4'),
    (_BLOCK + r'(norm[12])\.(weight|bias)$', r'stages.\1.blocks.\2.\3.\4'),
    (_BLOCK + r'mlp\.fc1\.(weight|bias)$',
     r'stages.\1.blocks.\2.ffn.layers.0.0.\3'),
    (_BLOCK + r'mlp\.fc2\.(weight|bias)$',
     r'stages.\1.blocks.\2.ffn.layers.1.\3'),
    (r'^layers\.(\d+)\.downsample\.(reduction\.weight|norm\.weight|'
     r'norm\.bias)$', _next_stage('stages.{}.downsample.{}')),
    (r'^(norm\d)\.(weight|bias)$', r'\1.\2'),
]


def convert_swinv2_ait(state_dict: StateDict) -> StateDict:
    """AiT ``SwinV2TransformerRPE2FC`` keys (with or without the model's
    ``backbone.`` prefix) -> mmpretrain ``SwinTransformerV2`` keys. The
    relative-position buffers are kept, so that loading checks the window
    sizes (mmpretrain recomputes them). Unknown keys raise."""
    if any(k.startswith('backbone.') for k in state_dict):
        state_dict = {k[len('backbone.'):]: v for k, v in state_dict.items()
                      if k.startswith('backbone.')}
    out = rename_keys(state_dict, KEY_MAP, source="AiT's SwinV2 backbone")
    for key in out:
        if re.match(r'^stages\.\d+\.downsample\.reduction\.weight$', key):
            out[key] = _merge_order(out[key])
    return out


if __name__ == '__main__':
    run_converter(__doc__, convert_swinv2_ait)
