# MobileNetV2-0.5 + ULightDecoder_skip_4b alone (no teacher): the baseline.
_base_ = [
    '../_base_/models/depth_mbv2-0.5_ulight-skip-4b.py',
    '../_base_/datasets/nyu_depth_v2.py',
    '../_base_/schedules/depth_25ep.py',
    '../_base_/default_runtime.py',
]
