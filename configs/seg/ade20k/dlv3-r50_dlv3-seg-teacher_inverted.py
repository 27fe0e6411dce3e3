# Table 2a, ADE20K: segmentation (DeepLabV3-R50, COCO-VOC) teacher,
# inverted projection, L2 loss; DeepLabV3-ResNet-50 student. 1xb20, 80 epochs.
_base_ = [
    './dlv3-r50_baseline.py',
    '../../_base_/distillation/l2_deeplabv3-r50_seg_inverted.py'
]
model = _base_.distill
