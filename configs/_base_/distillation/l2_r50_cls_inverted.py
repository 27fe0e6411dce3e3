# L2 distillation through the inverted projection from the
# classification teacher (torchvision ResNet-50, ImageNet),
# as `model` fields: a student config takes them with
# `model = _base_.distill`.
_base_ = ['../teachers/r50_cls.py', '../projections/inverted.py']
distill = dict(
    teacher={{_base_.r50_cls_teacher}},
    projector={{_base_.projector}},
    teacher_channels={{_base_.r50_cls_channels}},
    distill_losses=dict(l2=dict(type='mmxtkd.FitNetsLoss')))
