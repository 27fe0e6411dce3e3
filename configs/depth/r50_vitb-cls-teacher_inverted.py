# FitNets, inverted projection:
# classification (ViT-B/16) teacher -> ResNet-50 + Decoder.
_base_ = [
    '../_base_/models/depth_r50_decoder.py',
    '../_base_/teachers/vitb16_cls.py',
    '../_base_/projections/inverted.py',
    '../_base_/datasets/nyu_depth_v2.py',
    '../_base_/schedules/depth_25ep.py',
    '../_base_/default_runtime.py',
]
model = dict(
    teacher={{_base_.teacher}},
    teacher_channels={{_base_.teacher_channels}},
    projector={{_base_.projector}},
    distill_losses=dict(fitnets=dict(type='mmxtkd.FitNetsLoss')))
