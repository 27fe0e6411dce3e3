# Segmentation student: DeepLabV3 (ASPP head) on a dilated ResNet-50 (output
# stride 8), pixel-wise cross-entropy, in mmseg's EncoderDecoder; wrapped in
# CrossTaskDistiller (no teacher and no losses: the student alone). The
# encoder is mmseg's ResNet with style='pytorch', whose keys are
# torchvision's: it starts from torchvision's ImageNet ResNet-50,
#   python tools/model_converters/resnet_torchvision_to_mmpretrain.py \
#       resnet50-0676ba61.pth checkpoints/resnet50_in1k_torchvision.pth
# Z_s is the last stage's map (2048 channels, stride 8). BN, which the
# runtime's sync_bn='torch' synchronises when the run has several GPUs.
norm_cfg = dict(type='BN', requires_grad=True)
model = dict(
    type='mmxtkd.CrossTaskDistiller',
    student=dict(
        type='mmseg.EncoderDecoder',
        data_preprocessor=dict(
            type='SegDataPreProcessor',
            mean=[123.675, 116.28, 103.53],
            std=[58.395, 57.12, 57.375],
            bgr_to_rgb=True,
            pad_val=0,
            seg_pad_val=255,
            size=(512, 512)),
        backbone=dict(
            type='ResNet',
            depth=50,
            strides=(1, 2, 1, 1),
            dilations=(1, 1, 2, 4),
            contract_dilation=True,
            style='pytorch',
            norm_cfg=norm_cfg,
            init_cfg=dict(
                type='Pretrained',
                checkpoint='checkpoints/resnet50_in1k_torchvision.pth')),
        decode_head=dict(
            type='ASPPHead',
            in_channels=2048,
            in_index=3,
            channels=512,
            dilations=(1, 12, 24, 36),
            dropout_ratio=0.1,
            num_classes=150,
            norm_cfg=norm_cfg,
            align_corners=False,
            loss_decode=dict(type='CrossEntropyLoss', loss_weight=1.0)),
        train_cfg=dict(),
        test_cfg=dict(mode='whole')),
    student_feature='backbone',
    student_channels=2048)
