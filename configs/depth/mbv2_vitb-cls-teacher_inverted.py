# FitNets, inverted projection: classification (ViT-B/16, ImageNet) teacher ->
# MobileNetV2-0.5 + Decoder. 1xb16, 25 epochs.
_base_ = ['./mbv2_baseline.py', '../_base_/teachers/vitb-cls.py']
model = dict(
    teacher={{_base_.vitb_cls_teacher}},
    projector=dict(type='mmxtkd.InvertedProjector'),
    teacher_channels={{_base_.vitb_cls_channels}},
    distill_losses=dict(fitnets=dict(type='mmxtkd.FitNetsLoss')))
# The projector's spectrum (the paper's figure 3), logged for both
# projections: the traditional twin inherits this hook.
custom_hooks = [dict(type='mmxtkd.SpectralRankHook', interval=100)]
