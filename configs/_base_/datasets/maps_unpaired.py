# pix2pix's Maps for CycleGAN (supplementary 6.5): aerial photos and maps of
# the same places, trained unpaired as CycleGAN is (each photo with a random
# map); the test pairs are matched by name, so that PSNR compares each
# translated map with its own. Layout data/cyclegan/maps/{train,test}{A,B}/
# <n>_{A,B}.png, A the photo and B the map, made from pix2pix's
# maps/{train,val} by tools/dataset_converters/pix2pix_to_unpaired.py.
# 256x256 with CycleGAN's resize-crop-flip. Batch 8. mmagic's types are named
# with their scope, so that configs inheriting this as mmxtkd:: build them.
_base_ = ['./translation_metrics.py']
dataset_type = 'mmxtkd.UnpairedTranslationDataset'
data_root = 'data/cyclegan/maps'
domains = dict(domain_a='aerial', domain_b='map')
image_keys = ['img_aerial', 'img_map']
load = [dict(type='mmagic.LoadImageFromFile', key=key, color_type='color')
        for key in image_keys]
pack = dict(
    type='mmagic.PackInputs', keys=image_keys, data_keys=image_keys)
train_pipeline = load + [
    dict(
        type='mmagic.Resize',
        keys=image_keys,
        scale=(286, 286),
        interpolation='bicubic'),
    dict(
        type='mmagic.Crop', keys=image_keys, crop_size=(256, 256),
        random_crop=True),
    dict(type='mmagic.Flip', keys=['img_aerial'], direction='horizontal'),
    dict(type='mmagic.Flip', keys=['img_map'], direction='horizontal'), pack
]
test_pipeline = load + [
    dict(
        type='mmagic.Resize',
        keys=image_keys,
        scale=(256, 256),
        interpolation='bicubic'),
    pack
]
train_dataloader = dict(
    batch_size=8,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(type=dataset_type, data_root=data_root,
                 pipeline=train_pipeline, **domains))
val_dataloader = dict(
    batch_size=4,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        test_mode=True,
        pipeline=test_pipeline,
        **domains))
test_dataloader = val_dataloader
# PSNR of the translated map against the paired one; FID
metrics = [
    dict(_base_.psnr, gt_key='img_map', pred_key='fake_map'),
    dict(
        _base_.fid,
        fake_nums=1098,  # pix2pix's maps/val
        real_key='img_map',
        fake_key='fake_map')
]
val_evaluator = dict(type='mmagic.Evaluator', metrics=metrics)
test_evaluator = val_evaluator
