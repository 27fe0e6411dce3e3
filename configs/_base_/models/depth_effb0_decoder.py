# EfficientNet-B0 encoder + `Decoder` (supplementary table 8).
_base_ = ['./depth_mbv2-0.5_decoder.py']
model = dict(
    student=dict(
        backbone=dict(
            _delete_=True,
            type='mmpretrain.EfficientNet',
            arch='b0',
            out_indices=(1, 2, 3, 4, 5, 6)),
        decode_head=dict(in_channels=[16, 24, 40, 112, 320, 1280])),
    student_channels=1280)
