# Depth student: MobileNetV2 (width 0.5) encoder + the paper's `Decoder`
# (mmxtkd.SkipDepthDecoder), SILog loss. Wrapped in CrossTaskDistiller; with
# no teacher and no distillation losses it is the student alone (baseline).
# Z_s is the encoder's last map (1280 channels, stride 32). The encoder starts
# from timm's ImageNet weights of mobilenetv2_050, converted with
# tools/model_converters/mobilenetv2_timm_to_mmpretrain.py.
model = dict(
    type='mmxtkd.CrossTaskDistiller',
    student=dict(
        type='mmseg.DepthEstimator',
        data_preprocessor=dict(
            type='SegDataPreProcessor',
            mean=[123.675, 116.28, 103.53],
            std=[58.395, 57.12, 57.375],
            bgr_to_rgb=True,
            pad_val=0,
            seg_pad_val=0,
            size_divisor=32),
        backbone=dict(
            type='mmpretrain.MobileNetV2',
            widen_factor=0.5,
            out_indices=(0, 1, 2, 4, 6, 7),
            init_cfg=dict(
                type='Pretrained',
                checkpoint='checkpoints/mobilenetv2-0.5_in1k_timm.pth')),
        decode_head=dict(
            type='mmxtkd.SkipDepthDecoder',
            in_channels=[8, 16, 16, 48, 160, 1280],
            max_depth=10.0,
            loss_decode=dict(type='mmxtkd.SILogLoss')),
        test_cfg=dict(mode='whole')),
    student_feature='backbone',
    student_channels=1280)
