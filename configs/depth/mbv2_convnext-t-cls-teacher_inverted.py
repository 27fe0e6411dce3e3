# FitNets, inverted projection: a timm classification teacher (ConvNeXt-T,
# ImageNet-1k, loaded from timm's hub file) -> MobileNetV2-0.5 + Decoder.
# Not a paper cell: the ViT-B/16 row's method with another teacher family.
# 1xb16, 25 epochs.
_base_ = ['./mbv2_baseline.py', '../_base_/teachers/convnext-t-cls.py']
model = dict(
    teacher={{_base_.convnext_t_cls_teacher}},
    projector=dict(type='mmxtkd.InvertedProjector'),
    teacher_channels={{_base_.convnext_t_cls_channels}},
    distill_losses=dict(fitnets=dict(type='mmxtkd.FitNetsLoss')))
# The projector's spectrum (the paper's figure 3), logged for both
# projections: the traditional twin inherits this hook.
custom_hooks = [dict(type='mmxtkd.SpectralRankHook', interval=100)]
