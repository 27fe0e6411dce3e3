# The satellite-to-map demo on the embedded synthetic tiles, sized for a
# 2-core CPU in minutes (tools/demo.py --task sat2map). Differences from the
# parent config:
# - data: data/sat2map_synthetic (mmxtkd.datasets.make_synthetic_sat2map),
#   64x64 procedural top-down "satellite" tiles and their flat-coloured maps
#   in CycleGAN's layout, 120 training and 24 name-paired test tiles; resize
#   to 72 and crop 64, flips;
# - student: ResNet generators with 32 base channels and 3 residual blocks
#   (Z_s: 128 channels at H/4); discriminators with 32;
# - schedule: 7 epochs (210 iterations of batch 4), the learning rate
#   constant for 3 epochs then decayed to zero; validation at the end;
# - metrics: PSNR only (FID's Inception weights are a download).
# The teacher (ResNet-50, random, seed 0), inverted projection, L2 loss,
# Z_s = G_B_E(G_A(x)) and the optimizers are the parent's.
_base_ = ['../cyclegan_r50-random-teacher_inverted.py']

data_root = 'data/sat2map_synthetic'
model = dict(
    generator=dict(base_channels=32, num_blocks=3),
    discriminator=dict(base_channels=32),
    student_channels=128)
train_pipeline = _base_.load + [
    dict(
        type='mmagic.Resize',
        keys=_base_.image_keys,
        scale=(72, 72),
        interpolation='bicubic'),
    dict(
        type='mmagic.Crop',
        keys=_base_.image_keys,
        crop_size=(64, 64),
        random_crop=True),
    dict(type='mmagic.Flip', keys=['img_aerial'], direction='horizontal'),
    dict(type='mmagic.Flip', keys=['img_map'], direction='horizontal'),
    _base_.pack
]
test_pipeline = _base_.load + [_base_.pack]
train_dataloader = dict(
    batch_size=4,
    num_workers=2,
    dataset=dict(data_root=data_root, pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=8,
    num_workers=2,
    dataset=dict(data_root=data_root, pipeline=test_pipeline))
test_dataloader = val_dataloader
val_evaluator = dict(metrics=[_base_.metrics[0]])
test_evaluator = val_evaluator
param_scheduler = dict(begin=3, end=7)
train_cfg = dict(max_epochs=7, val_interval=7)
default_hooks = dict(
    logger=dict(interval=20),
    checkpoint=dict(interval=3, max_keep_ckpts=2))
custom_hooks = [dict(type='mmxtkd.SpectralRankHook', interval=20)]
env_cfg = dict(cudnn_benchmark=False)
randomness = dict(seed=0)
