# NYUv2 in the BTS / AiT layout (see mmxtkd.datasets.NYUDepthV2Dataset and
# tools/dataset_converters/nyu_depth_v2.py), with AiT's augmentations.
# Types of other packages carry their scope ('mmseg.'), so that the configs
# build the same when a downstream config inherits them as 'mmxtkd::...'
# (mmengine then builds their outer dicts in mmxtkd's scope).
dataset_type = 'mmxtkd.NYUDepthV2Dataset'
data_root = 'data/nyu_depth_v2'
crop_size = (480, 480)  # AiT: 480x480 random crops of the 480x640 frames
meta_keys = ('img_path', 'depth_map_path', 'ori_shape', 'img_shape',
             'pad_shape', 'scale_factor', 'flip', 'flip_direction',
             'category_id')
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='mmxtkd.LoadCheckedDepthAnnotation', depth_rescale_factor=1e-3),
    dict(type='mmseg.RandomDepthMix', prob=0.25),
    dict(type='mmseg.RandomFlip', prob=0.5),
    dict(type='mmseg.RandomCrop', crop_size=crop_size),
    dict(
        type='mmxtkd.SeededAlbu',  # mmseg.Albu, following the run's seed
        transforms=[
            dict(type='RandomBrightnessContrast'),
            dict(type='RandomGamma'),
            dict(type='HueSaturationValue'),
        ]),
    dict(type='mmseg.PackSegInputs', meta_keys=meta_keys),
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='mmxtkd.LoadCheckedDepthAnnotation', depth_rescale_factor=1e-3),
    dict(type='mmseg.PackSegInputs', meta_keys=meta_keys),
]
train_dataloader = dict(
    batch_size=16,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        data_prefix=dict(img_path='sync'),
        ann_file='nyudepthv2_train_files_with_gt.txt',
        pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=1,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        data_prefix=dict(img_path='official_splits/test'),
        ann_file='nyudepthv2_test_files_with_gt.txt',
        test_mode=True,
        pipeline=test_pipeline))
test_dataloader = val_dataloader
val_evaluator = dict(
    type='mmxtkd.NYUDepthMetric',
    min_depth_eval=1e-3,
    max_depth_eval=10.0,
    crop_type='eigen')
test_evaluator = val_evaluator
