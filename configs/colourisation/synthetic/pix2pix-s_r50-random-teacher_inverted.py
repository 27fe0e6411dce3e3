# The colourisation demo on the embedded synthetic pairs, sized for a 2-core
# CPU in minutes (tools/demo.py --task colourisation). Differences from the
# parent config:
# - data: data/colourisation_synthetic (mmxtkd.datasets.
#   make_synthetic_colourisation), 64x64 rendered rooms beside their
#   grayscale copies in pix2pix's A|B layout, 120 training and 32 test pairs;
#   resize to 72 and crop 64, flips;
# - student: the UNet with 6 downsamplings (1x1 bottleneck at 64x64) and 32
#   base channels (Z_s: 256 channels); the discriminator with 32;
# - schedule: 16 epochs (240 iterations of batch 8), the learning rate
#   constant for 8 epochs then decayed to zero; validation at the end;
# - metrics: PSNR only (FID's Inception weights are a download).
# The teacher (ResNet-50, random, seed 0), inverted projection, L2 loss and
# the optimizers are the parent's.
_base_ = ['../pix2pix_r50-random-teacher_inverted.py']

data_root = 'data/colourisation_synthetic'
model = dict(
    generator=dict(num_down=6, base_channels=32),
    discriminator=dict(base_channels=32),
    student_channels=256)
train_pipeline = [
    _base_.load_pair,
    dict(type='mmagic.Resize', keys=['img_photo'], scale=(72, 72),
         interpolation='bicubic'),
    dict(type='mmagic.FixedCrop', keys=['img_photo'], crop_size=(64, 64)),
    dict(type='mmagic.Flip', keys=['img_photo'], direction='horizontal'),
    _base_.gray_copy, _base_.pack
]
test_pipeline = [_base_.load_pair, _base_.gray_copy, _base_.pack]
train_dataloader = dict(
    num_workers=2,
    dataset=dict(data_root=data_root, pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=8,
    num_workers=2,
    dataset=dict(data_root=data_root, pipeline=test_pipeline))
test_dataloader = val_dataloader
val_evaluator = dict(metrics=[_base_.metrics[0]])
test_evaluator = val_evaluator
param_scheduler = dict(begin=8, end=16)
train_cfg = dict(max_epochs=16, val_interval=16)
default_hooks = dict(
    logger=dict(interval=20),
    checkpoint=dict(interval=8, max_keep_ckpts=2))
custom_hooks = [dict(type='mmxtkd.SpectralRankHook', interval=20)]
env_cfg = dict(cudnn_benchmark=False)
randomness = dict(seed=0)
