# FitNets, inverted projection: depth (AiT SwinV2-B, NYUv2) teacher ->
# MobileNetV2-0.5 + Decoder. 1xb16, 25 epochs.
_base_ = ['./mbv2_baseline.py', '../_base_/teachers/ait-swinv2b_depth.py',
          '../_base_/projections/inverted.py']
model = dict(
    teacher={{_base_.ait_swinv2b_depth_teacher}},
    projector={{_base_.projector}},
    teacher_channels={{_base_.ait_swinv2b_depth_channels}},
    distill_losses=dict(fitnets=dict(type='mmxtkd.FitNetsLoss')))
