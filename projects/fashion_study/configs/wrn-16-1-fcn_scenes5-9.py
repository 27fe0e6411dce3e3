# The study's dense student: scenes of 2 x 2 cells (64 x 64 canvases) of
# classes 5-9's photographs (mmxtkd.FashionScenes), each pixel labelled with
# its item's class or background; an FCN head on the source WRN-16-1
# (wrn-16-1_fashion0-4.py's backbone: the stand-in for ImageNet
# pretraining, as the paper's dense students start from), its map
# (B, 64, 16, 16). Trained from `scenes` labelled scenes made of the
# training images, drawn by the run's seed; tested on 500 scenes of the
# test images (seed 0). The study fills in the checkpoint, scenes, the seed
# and the length.
_base_ = './wrn-16-1_fashion5-9.py'
classes = (5, 6, 7, 8, 9)
model = dict(
    _delete_=True,
    type='mmxtkd.CrossTaskDistiller',
    student=dict(
        type='mmseg.EncoderDecoder',
        data_preprocessor=dict(
            type='mmseg.SegDataPreProcessor', mean=[72.94], std=[90.02],
            bgr_to_rgb=False, size=(64, 64), pad_val=0, seg_pad_val=255),
        backbone=dict(
            type='mmxtkd.WideResNetCIFAR', depth=16, widen_factor=1,
            drop_rate=0.0, in_channels=1,
            init_cfg=dict(
                type='Pretrained',
                checkpoint='work_dirs/fashion_study/source.pth',
                prefix='student.backbone.')),
        decode_head=dict(
            type='mmseg.FCNHead', in_channels=64, channels=64, num_convs=1,
            concat_input=False, dropout_ratio=0.0, num_classes=6,
            norm_cfg=dict(type='BN', requires_grad=True), align_corners=False,
            loss_decode=dict(type='mmseg.CrossEntropyLoss', loss_weight=1.0)),
        train_cfg=dict(),
        test_cfg=dict(mode='whole')),
    student_feature='backbone')
train_pipeline = [
    dict(type='mmseg.RandomFlip', prob=0.5),
    dict(type='mmseg.PackSegInputs')
]
test_pipeline = [dict(type='mmseg.PackSegInputs')]
train_dataloader = dict(
    batch_size=8,
    dataset=dict(
        _delete_=True, type='mmxtkd.FashionScenes', split='train',
        classes=classes, scenes=16, seed=0, pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=50,
    dataset=dict(
        _delete_=True, type='mmxtkd.FashionScenes', split='test',
        classes=classes, scenes=500, seed=0, pipeline=test_pipeline))
test_dataloader = val_dataloader
val_evaluator = dict(_delete_=True, type='mmseg.IoUMetric',
                     iou_metrics=['mIoU'])
test_evaluator = val_evaluator
