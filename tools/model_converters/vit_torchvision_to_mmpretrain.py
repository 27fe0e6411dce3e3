"""Convert torchvision's ViT (``vit_b_16`` etc.) weights to mmpretrain's
``VisionTransformer`` backbone, the paper's classification teacher.

    python tools/model_converters/vit_torchvision_to_mmpretrain.py \
        vit_b_16-c867db91.pth checkpoints/vit-b16_in1k_torchvision.pth

The input is the state dict torchvision saves (``torch.save(model.state_dict())``
or its model-hub file). The output is an mmengine checkpoint of the backbone
alone (the classification head is dropped), loadable by
``FrozenTeacher(model=dict(type='mmpretrain.VisionTransformer', arch='b',
out_type='featmap'), checkpoint=...)``.
"""
import argparse
import re
from typing import Dict

import torch

#: torchvision key pattern -> mmpretrain key template
KEY_MAP = [
    (r'^class_token$', 'cls_token'),
    (r'^conv_proj\.(weight|bias)$', r'patch_embed.projection.\1'),
    (r'^encoder\.pos_embedding$', 'pos_embed'),
    (r'^encoder\.ln\.(weight|bias)$', r'ln1.\1'),
    (r'^encoder\.layers\.encoder_layer_(\d+)\.ln_1\.(weight|bias)$',
     r'layers.\1.ln1.\2'),
    (r'^encoder\.layers\.encoder_layer_(\d+)\.ln_2\.(weight|bias)$',
     r'layers.\1.ln2.\2'),
    (r'^encoder\.layers\.encoder_layer_(\d+)\.self_attention\.in_proj_'
     r'(weight|bias)$', r'layers.\1.attn.qkv.\2'),
    (r'^encoder\.layers\.encoder_layer_(\d+)\.self_attention\.out_proj\.'
     r'(weight|bias)$', r'layers.\1.attn.proj.\2'),
    (r'^encoder\.layers\.encoder_layer_(\d+)\.mlp\.(?:0|linear_1)\.'
     r'(weight|bias)$', r'layers.\1.ffn.layers.0.0.\2'),
    (r'^encoder\.layers\.encoder_layer_(\d+)\.mlp\.(?:3|linear_2)\.'
     r'(weight|bias)$', r'layers.\1.ffn.layers.1.\2'),
]
DROPPED = re.compile(r'^heads\.')


def convert_vit(state_dict: Dict[str, torch.Tensor]) -> Dict[str, torch.Tensor]:
    """torchvision ``VisionTransformer`` keys -> mmpretrain backbone keys.

    Both use the same tensor layouts (fused qkv of shape (3C, C), patch
    projection as a conv), so only the names change. Unknown keys raise.
    """
    out = {}
    for key, value in state_dict.items():
        if DROPPED.match(key):
            continue
        for pattern, template in KEY_MAP:
            if re.match(pattern, key):
                out[re.sub(pattern, template, key)] = value
                break
        else:
            raise KeyError(f'unexpected key in a torchvision ViT state dict: '
                           f'{key}')
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('src', help='torchvision ViT state dict (.pth)')
    parser.add_argument('dst', help='output mmengine checkpoint')
    args = parser.parse_args()
    state = torch.load(args.src, map_location='cpu', weights_only=True)
    if 'model' in state and isinstance(state['model'], dict):
        state = state['model']
    converted = convert_vit(state)
    torch.save(dict(meta=dict(source=args.src,
                              converter='vit_torchvision_to_mmpretrain'),
                    state_dict=converted), args.dst)
    print(f'wrote {len(converted)} tensors to {args.dst}')


if __name__ == '__main__':
    main()
