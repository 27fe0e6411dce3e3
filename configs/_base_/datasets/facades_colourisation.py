# CMP Facades as colourisation pairs (supplementary 6.5): the photo half of
# pix2pix's paired facades images (data/pix2pix/facades/{train,test}/*.jpg,
# photo | labels, as mmagic's pix2pix configs read them), and its grayscale
# copy made in the pipeline (mmxtkd.GrayscaleCopy) as the input; 256x256
# with pix2pix's resize-crop-flip. Batch 8. mmagic's types are named with
# their scope, so that configs inheriting this as mmxtkd:: build them.
_base_ = ['./translation_metrics.py']
dataset_type = 'mmagic.PairedImageDataset'
data_root = 'data/pix2pix/facades'
load_pair = dict(
    type='mmxtkd.LoadCheckedPairedImage',
    key='pair',
    domain_a='photo',
    domain_b='labels',
    color_type='color')
gray_copy = dict(type='mmxtkd.GrayscaleCopy', key='img_photo',
                 out_key='img_gray')
pack = dict(
    type='mmagic.PackInputs',
    keys=['img_photo', 'img_gray'],
    data_keys=['img_photo', 'img_gray'])
train_pipeline = [
    load_pair,
    dict(type='mmagic.Resize', keys=['img_photo'], scale=(286, 286),
         interpolation='bicubic'),
    dict(type='mmagic.FixedCrop', keys=['img_photo'], crop_size=(256, 256)),
    dict(type='mmagic.Flip', keys=['img_photo'], direction='horizontal'),
    gray_copy, pack
]
test_pipeline = [
    load_pair,
    dict(type='mmagic.Resize', keys=['img_photo'], scale=(256, 256),
         interpolation='bicubic'), gray_copy, pack
]
train_dataloader = dict(
    batch_size=8,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(type=dataset_type, data_root=data_root,
                 pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=1,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        test_mode=True,
        pipeline=test_pipeline))
test_dataloader = val_dataloader
metrics = [
    dict(_base_.psnr, gt_key='img_photo', pred_key='fake_photo'),
    dict(
        _base_.fid,
        fake_nums=106,  # the facades test split
        real_key='img_photo',
        fake_key='fake_photo')
]
val_evaluator = dict(type='mmagic.Evaluator', metrics=metrics)
test_evaluator = val_evaluator
