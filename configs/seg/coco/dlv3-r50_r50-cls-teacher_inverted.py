# Table 2a, COCO (80 classes): classification (ResNet-50, ImageNet) teacher,
# inverted projection, L2 loss; DeepLabV3-ResNet-50 student. 1xb20, 80 epochs.
_base_ = [
    './dlv3-r50_baseline.py',
    '../../_base_/distillation/l2_r50_cls_inverted.py'
]
model = _base_.distill
