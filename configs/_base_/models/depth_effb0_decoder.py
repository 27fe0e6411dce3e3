# EfficientNet-B0 encoder + `Decoder` (supplementary table 8), from
# torchvision's ImageNet weights (tools/model_converters/
# efficientnet_torchvision_to_mmpretrain.py); symmetric padding and BN eps
# 1e-5 as torchvision's network, which those weights were trained with.
_base_ = ['./depth_mbv2-0.5_decoder.py']
model = dict(
    student=dict(
        backbone=dict(
            _delete_=True,
            type='mmpretrain.EfficientNet',
            arch='b0',
            out_indices=(1, 2, 3, 4, 5, 6),
            conv_cfg=dict(type='Conv2d'),
            norm_cfg=dict(type='BN', eps=1e-5),
            init_cfg=dict(
                type='Pretrained',
                checkpoint='checkpoints/efficientnet-b0_in1k_torchvision.pth')),
        decode_head=dict(in_channels=[16, 24, 40, 112, 320, 1280])),
    student_channels=1280)
