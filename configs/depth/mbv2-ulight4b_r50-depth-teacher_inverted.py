# FitNets, inverted projection: depth (our ResNet-50 depth student) teacher ->
# MobileNetV2-0.5 + ULightDecoder_skip_4b. 1xb16, 25 epochs.
_base_ = ['./mbv2-ulight4b_baseline.py', '../_base_/teachers/r50-depth.py']
model = dict(
    teacher={{_base_.r50_depth_teacher}},
    projector=dict(type='mmxtkd.InvertedProjector'),
    teacher_channels={{_base_.r50_depth_channels}},
    distill_losses=dict(fitnets=dict(type='mmxtkd.FitNetsLoss')))
# The projector's spectrum (the paper's figure 3), logged for both
# projections: the traditional twin inherits this hook.
custom_hooks = [dict(type='mmxtkd.SpectralRankHook', interval=100)]
