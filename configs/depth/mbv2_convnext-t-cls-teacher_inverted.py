# FitNets, inverted projection: a timm classification teacher (ConvNeXt-T,
# ImageNet-1k, loaded from timm's hub file) -> MobileNetV2-0.5 + Decoder.
# Not a paper cell: the ViT-B/16 row's method with another teacher family.
# 1xb16, 25 epochs.
_base_ = ['./mbv2_baseline.py', '../_base_/teachers/convnext-t_cls_timm.py',
          '../_base_/projections/inverted.py']
model = dict(
    teacher={{_base_.convnext_t_cls_timm_teacher}},
    projector={{_base_.projector}},
    teacher_channels={{_base_.convnext_t_cls_timm_channels}},
    distill_losses=dict(fitnets=dict(type='mmxtkd.FitNetsLoss')))
