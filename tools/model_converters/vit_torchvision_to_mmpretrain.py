"""Convert torchvision's ViT (``vit_b_16`` etc.) weights to mmpretrain's
``VisionTransformer`` backbone, the paper's classification teacher.

    python tools/model_converters/vit_torchvision_to_mmpretrain.py \
        vit_b_16-c867db91.pth checkpoints/vit-b16_in1k_torchvision.pth

The input is the state dict torchvision saves
(``torch.save(model.state_dict())`` or its model-hub file). The output is
an mmengine checkpoint of the backbone alone (the classification head is
dropped), loadable by
``FrozenTeacher(model=dict(type='mmpretrain.VisionTransformer', arch='b',
out_type='featmap'), checkpoint=...)``.
"""
from mmxtkd.apis.weight_conversion import StateDict, rename_keys, run_converter

_LAYER = r'^encoder\.layers\.encoder_layer_(\d+)\.'
#: torchvision key pattern -> mmpretrain key template
KEY_MAP = [
    (r'^class_token$', 'cls_token'),
    (r'^conv_proj\.(weight|bias)$', r'patch_embed.projection.\1'),
    (r'^encoder\.pos_embedding$', 'pos_embed'),
    (r'^encoder\.ln\.(weight|bias)$', r'ln1.\1'),
    (_LAYER + r'ln_1\.(weight|bias)$', r'layers.\1.ln1.\2'),
    (_LAYER + r'ln_2\.(weight|bias)$', r'layers.\1.ln2.\2'),
    (_LAYER + r'self_attention\.in_proj_(weight|bias)$',
     r'layers.\1.attn.qkv.\2'),
    (_LAYER + r'self_attention\.out_proj\.(weight|bias)$',
     r'layers.\1.attn.proj.\2'),
    (_LAYER + r'mlp\.(?:0|linear_1)\.(weight|bias)$',
     r'layers.\1.ffn.layers.0.0.\2'),
    (_LAYER + r'mlp\.(?:3|linear_2)\.(weight|bias)$',
     r'layers.\1.ffn.layers.1.\2'),
]


def convert_vit(state_dict: StateDict) -> StateDict:
    """torchvision ``VisionTransformer`` keys -> mmpretrain backbone keys.

    Both use the same tensor layouts (fused qkv of shape (3C, C), patch
    projection as a conv), so only the names change. Unknown keys raise.
    """
    return rename_keys(state_dict, KEY_MAP, dropped=[r'^heads\.'],
                       source='a torchvision ViT')


if __name__ == '__main__':
    run_converter(__doc__, convert_vit)
