# FitNets, traditional projection:
# random ViT-B/16 teacher -> MobileNetV2-0.5 + ULightDecoder_skip_4b.
_base_ = [
    '../_base_/models/depth_mbv2-0.5_ulight-skip-4b.py',
    '../_base_/teachers/vitb16_random.py',
    '../_base_/projections/traditional.py',
    '../_base_/datasets/nyu_depth_v2.py',
    '../_base_/schedules/depth_25ep.py',
    '../_base_/default_runtime.py',
]
model = dict(
    teacher={{_base_.teacher}},
    teacher_channels={{_base_.teacher_channels}},
    projector={{_base_.projector}},
    distill_losses=dict(fitnets=dict(type='mmxtkd.FitNetsLoss')))
