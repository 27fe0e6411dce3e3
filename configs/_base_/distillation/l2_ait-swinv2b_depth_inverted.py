# L2 distillation through the inverted projection from the
# depth teacher (AiT's SwinV2-B, NYUv2),
# as `model` fields: a student config takes them with
# `model = _base_.distill`.
_base_ = ['../teachers/ait-swinv2b_depth.py', '../projections/inverted.py']
distill = dict(
    teacher={{_base_.ait_swinv2b_depth_teacher}},
    projector={{_base_.projector}},
    teacher_channels={{_base_.ait_swinv2b_depth_channels}},
    distill_losses=dict(l2=dict(type='mmxtkd.FitNetsLoss')))
