# L2 distillation through the inverted projection from the
# keypoint-detection teacher (torchvision Keypoint R-CNN's ResNet-50, COCO),
# as `model` fields: a student config takes them with
# `model = _base_.distill`.
_base_ = ['../teachers/krcnn-r50_kpt.py', '../projections/inverted.py']
distill = dict(
    teacher={{_base_.krcnn_r50_kpt_teacher}},
    projector={{_base_.projector}},
    teacher_channels={{_base_.krcnn_r50_kpt_channels}},
    distill_losses=dict(l2=dict(type='mmxtkd.FitNetsLoss')))
