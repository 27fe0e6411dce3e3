# L2 distillation through the inverted projection from the
# classification teacher (ViT-B/16, ImageNet),
# as `model` fields: a student config takes them with
# `model = _base_.distill`.
_base_ = ['../teachers/vitb16_cls.py', '../projections/inverted.py']
distill = dict(
    teacher={{_base_.vitb16_cls_teacher}},
    projector={{_base_.projector}},
    teacher_channels={{_base_.vitb16_cls_channels}},
    distill_losses=dict(l2=dict(type='mmxtkd.FitNetsLoss')))
