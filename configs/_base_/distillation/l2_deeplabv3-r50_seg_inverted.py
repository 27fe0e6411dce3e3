# L2 distillation through the inverted projection from the
# segmentation teacher (torchvision DeepLabV3-ResNet-50, COCO-VOC),
# as `model` fields: a student config takes them with
# `model = _base_.distill`.
_base_ = ['../teachers/deeplabv3-r50_seg.py', '../projections/inverted.py']
distill = dict(
    teacher={{_base_.deeplabv3_r50_seg_teacher}},
    projector={{_base_.projector}},
    teacher_channels={{_base_.deeplabv3_r50_seg_channels}},
    distill_losses=dict(l2=dict(type='mmxtkd.FitNetsLoss')))
