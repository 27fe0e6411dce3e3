"""Convert timm's MobileNetV2 weights (``mobilenetv2_050``, the paper's
width-0.5 depth encoder, or any other width) to mmpretrain's ``MobileNetV2``
backbone with the same ``widen_factor``.

    python tools/model_converters/mobilenetv2_timm_to_mmpretrain.py \
        model.safetensors checkpoints/mobilenetv2-0.5_in1k_timm.pth

The input is the file timm's model hub serves for ``mobilenetv2_050``
(``model.safetensors`` or ``pytorch_model.bin``) or any
``torch.save(timm_model.state_dict())``. The classifier is dropped.
"""
import re

from mmxtkd.apis.weight_conversion import StateDict, rename_keys, run_converter

_BN = r'(weight|bias|running_mean|running_var|num_batches_tracked)'
_BLOCK = r'^blocks\.(\d+)\.(\d+)\.'


def _block(part: str):
    """timm's ``blocks.i.j.<layer>`` -> mmpretrain's
    ``layer{i+1}.j.conv.<part>``."""

    def repl(m: re.Match) -> str:
        return (f'layer{int(m.group(1)) + 1}.{m.group(2)}.conv.{part}.'
                f'{m.group(m.lastindex)}')

    return repl


#: timm key pattern -> mmpretrain key. The first block has no expansion:
#: timm's depthwise-separable block (conv_dw, bn1, conv_pw, bn2) is
#: mmpretrain's two-conv InvertedResidual; the others are expand (conv_pw,
#: bn1), depthwise (conv_dw, bn2) and linear (conv_pwl, bn3) convs.
KEY_MAP = [
    (r'^conv_stem\.(weight)$', r'conv1.conv.\1'),
    (r'^bn1\.' + _BN + '$', r'conv1.bn.\1'),
    (r'^blocks\.(0)\.(0)\.conv_dw\.(weight)$', _block('0.conv')),
    (r'^blocks\.(0)\.(0)\.bn1\.' + _BN + '$', _block('0.bn')),
    (r'^blocks\.(0)\.(0)\.conv_pw\.(weight)$', _block('1.conv')),
    (r'^blocks\.(0)\.(0)\.bn2\.' + _BN + '$', _block('1.bn')),
    (_BLOCK + r'conv_pw\.(weight)$', _block('0.conv')),
    (_BLOCK + r'bn1\.' + _BN + '$', _block('0.bn')),
    (_BLOCK + r'conv_dw\.(weight)$', _block('1.conv')),
    (_BLOCK + r'bn2\.' + _BN + '$', _block('1.bn')),
    (_BLOCK + r'conv_pwl\.(weight)$', _block('2.conv')),
    (_BLOCK + r'bn3\.' + _BN + '$', _block('2.bn')),
    (r'^conv_head\.(weight)$', r'conv2.conv.\1'),
    (r'^bn2\.' + _BN + '$', r'conv2.bn.\1'),
]


def convert_mobilenetv2(state_dict: StateDict) -> StateDict:
    """timm ``MobileNetV2`` (``EfficientNet`` class) keys -> mmpretrain
    ``MobileNetV2`` keys; the tensors are the same. Unknown keys raise."""
    return rename_keys(state_dict, KEY_MAP, dropped=[r'^classifier\.'],
                       source="timm's MobileNetV2")


if __name__ == '__main__':
    run_converter(__doc__, convert_mobilenetv2)
