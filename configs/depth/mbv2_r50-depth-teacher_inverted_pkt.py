# PKT, inverted projection:
# depth (ResNet-50) teacher -> MobileNetV2-0.5 + Decoder.
_base_ = [
    '../_base_/models/depth_mbv2-0.5_decoder.py',
    '../_base_/teachers/r50_depth.py',
    '../_base_/projections/inverted.py',
    '../_base_/datasets/nyu_depth_v2.py',
    '../_base_/schedules/depth_25ep.py',
    '../_base_/default_runtime.py',
]
model = dict(
    teacher={{_base_.teacher}},
    teacher_channels={{_base_.teacher_channels}},
    projector={{_base_.projector}},
    distill_losses=dict(pkt=dict(type='mmxtkd.PKTLoss')))
