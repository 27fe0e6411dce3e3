# FitNets, inverted projection: classification (ViT-B/16, ImageNet) teacher ->
# MobileNetV2-0.5 + Decoder. 1xb16, 25 epochs.
_base_ = ['./mbv2_baseline.py', '../_base_/teachers/vitb16_cls.py',
          '../_base_/projections/inverted.py']
model = dict(
    teacher={{_base_.vitb16_cls_teacher}},
    projector={{_base_.projector}},
    teacher_channels={{_base_.vitb16_cls_channels}},
    distill_losses=dict(fitnets=dict(type='mmxtkd.FitNetsLoss')))
