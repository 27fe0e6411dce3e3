"""Convert torchvision's ResNet weights (``resnet50-0676ba61.pth``, the
paper's ImageNet ResNet-50) to mmpretrain's / mmseg's ``ResNet`` backbone
(``style='pytorch'``, no deep stem).

    python tools/model_converters/resnet_torchvision_to_mmpretrain.py \
        resnet50-0676ba61.pth checkpoints/resnet50_in1k_torchvision.pth

Both name their layers alike (``conv1``, ``bn1``, ``layerN.M.convK``,
``downsample.0/1``) and put the stride on the 3x3 conv, so the converter
checks the keys and drops the classifier (``fc``).
"""
from mmxtkd.apis.weight_conversion import StateDict, rename_keys, run_converter

_BN = r'(?:weight|bias|running_mean|running_var|num_batches_tracked)'
KEY_MAP = [
    (r'^conv1\.weight$', r'\g<0>'),
    (r'^bn1\.' + _BN + '$', r'\g<0>'),
    (r'^layer\d+\.\d+\.conv\d\.weight$', r'\g<0>'),
    (r'^layer\d+\.\d+\.bn\d\.' + _BN + '$', r'\g<0>'),
    (r'^layer\d+\.\d+\.downsample\.0\.weight$', r'\g<0>'),
    (r'^layer\d+\.\d+\.downsample\.1\.' + _BN + '$', r'\g<0>'),
]


def convert_resnet(state_dict: StateDict) -> StateDict:
    """torchvision ``ResNet`` -> mmpretrain ``ResNet``: the same keys without
    ``fc``. Unknown keys (e.g. another architecture's file) raise."""
    return rename_keys(state_dict, KEY_MAP, dropped=[r'^fc\.'],
                       source="torchvision's ResNet")


if __name__ == '__main__':
    run_converter(__doc__, convert_resnet)
