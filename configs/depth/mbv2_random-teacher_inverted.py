# FitNets, inverted projection: random (ViT-B/16, seed 0) teacher ->
# MobileNetV2-0.5 + Decoder. 1xb16, 25 epochs.
_base_ = ['./mbv2_baseline.py', '../_base_/teachers/random.py']
model = dict(
    teacher={{_base_.random_teacher}},
    projector=dict(type='mmxtkd.InvertedProjector'),
    teacher_channels={{_base_.random_channels}},
    distill_losses=dict(fitnets=dict(type='mmxtkd.FitNetsLoss')))
# The projector's spectrum (the paper's figure 3), logged for both
# projections: the traditional twin inherits this hook.
custom_hooks = [dict(type='mmxtkd.SpectralRankHook', interval=100)]
