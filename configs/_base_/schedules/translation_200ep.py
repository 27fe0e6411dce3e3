# Supplementary 6.6: AdamW lr 2e-4 (betas (0.5, 0.999), as mmagic's pix2pix
# and CycleGAN), 200 epochs: constant for 100, then linear decay to zero. The
# projector trains in the generators' optimizer ('distill').
# weight_decay: torch's AdamW default, stated; it reaches the projector, which
# trains in the generators' optimizer, and shrinks its small singular values
# (the rank SpectralRankHook reports).
adamw = dict(type='AdamW', lr=2e-4, betas=(0.5, 0.999), weight_decay=0.01)
optim_wrapper = dict(
    constructor='MultiOptimWrapperConstructor',
    generators=dict(optimizer=adamw, modules=['generators', 'distill']),
    discriminators=dict(optimizer=adamw, modules='discriminators'))
param_scheduler = dict(
    type='LinearLR',
    start_factor=1.0,
    end_factor=0.0,
    begin=100,
    end=200,
    by_epoch=True,
    convert_to_iter_based=True)
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=200, val_interval=10)
