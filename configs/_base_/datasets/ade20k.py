# ADE20K scene parsing (SceneParsing ADEChallengeData2016: 150 classes,
# 20,210 train / 2,000 val) through mmseg's ADE20KDataset, in its usual
# layout (data/ade/ADEChallengeData2016/{images,annotations}/{training,
# validation}), with mmseg's 512x512 augmentations (its crop and photometric
# distortion as mmxtkd computes them faster, bit for bit: see
# mmxtkd/datasets/seg_augmentations.py). Labels are loaded by
# mmxtkd.LoadCheckedSegAnnotations: a label map that does not fit its image,
# or a label outside the classes, is an error naming the file.
dataset_type = 'mmseg.ADE20KDataset'
data_root = 'data/ade/ADEChallengeData2016'
num_classes = 150
crop_size = (512, 512)
scale = (2048, 512)
augmentations = [
    dict(
        type='RandomResize',  # mmcv's: unscoped
        scale=scale,
        ratio_range=(0.5, 2.0),
        keep_ratio=True),
    dict(
        type='mmxtkd.HistogramRandomCrop',  # mmseg.RandomCrop, faster
        crop_size=crop_size,
        cat_max_ratio=0.75),
    dict(type='mmseg.RandomFlip', prob=0.5),
    # mmseg.PhotoMetricDistortion, bit for bit and faster
    dict(type='mmxtkd.LookupPhotoMetricDistortion'),
]
load_annotations = dict(
    type='mmxtkd.LoadCheckedSegAnnotations', num_classes=num_classes)
train_pipeline = [dict(type='LoadImageFromFile'), load_annotations
                  ] + augmentations + [dict(type='mmseg.PackSegInputs')]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='mmseg.Resize', scale=scale, keep_ratio=True),
    # after Resize: the metric compares with the original label map
    load_annotations,
    dict(type='mmseg.PackSegInputs'),
]
train_dataloader = dict(
    batch_size=20,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        data_prefix=dict(
            img_path='images/training', seg_map_path='annotations/training'),
        pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=1,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        data_prefix=dict(
            img_path='images/validation',
            seg_map_path='annotations/validation'),
        pipeline=test_pipeline))
test_dataloader = val_dataloader
val_evaluator = dict(type='mmseg.IoUMetric', iou_metrics=['mIoU'])  # + aAcc
test_evaluator = val_evaluator
