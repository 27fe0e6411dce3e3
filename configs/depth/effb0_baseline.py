# EfficientNet-B0 + Decoder alone (no teacher): the baseline (table 5).
_base_ = [
    '../_base_/models/depth_effb0_decoder.py',
    '../_base_/datasets/nyu_depth_v2.py',
    '../_base_/schedules/depth_25ep.py', '../_base_/default_runtime.py'
]
