# Table 2a, ADE20K: random (DeepLabV3-ResNet-50, seed 0) teacher,
# inverted projection, L2 loss; DeepLabV3-ResNet-50 student. 1xb20, 80 epochs.
_base_ = [
    './dlv3-r50_baseline.py',
    '../../_base_/distillation/l2_deeplabv3-r50_random_inverted.py'
]
model = _base_.distill
