# SwinV2-B + Decoder alone: the baseline of the teacher-free table (main
# table 3, supplementary table 9). 1xb16, 25 epochs, as every depth config.
_base_ = [
    '../_base_/models/depth_swinv2b_decoder.py',
    '../_base_/datasets/nyu_depth_v2.py',
    '../_base_/schedules/depth_25ep.py', '../_base_/default_runtime.py'
]
