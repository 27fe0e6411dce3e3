# MobileNetV2-0.5 + Decoder alone (no teacher): the baseline of every
# table. 1xb16 (total batch 16), 25 epochs.
_base_ = [
    '../_base_/models/depth_mbv2-0.5_decoder.py',
    '../_base_/datasets/nyu_depth_v2.py',
    '../_base_/schedules/depth_25ep.py', '../_base_/default_runtime.py'
]
