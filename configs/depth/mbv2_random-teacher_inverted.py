# FitNets, inverted projection: random (ViT-B/16, seed 0) teacher ->
# MobileNetV2-0.5 + Decoder. 1xb16, 25 epochs.
_base_ = ['./mbv2_baseline.py', '../_base_/teachers/vitb16_random.py',
          '../_base_/projections/inverted.py']
model = dict(
    teacher={{_base_.vitb16_random_teacher}},
    projector={{_base_.projector}},
    teacher_channels={{_base_.vitb16_random_channels}},
    distill_losses=dict(fitnets=dict(type='mmxtkd.FitNetsLoss')))
