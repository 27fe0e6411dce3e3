# Supplementary 6.6: AdamW lr 2e-4 (betas (0.5, 0.999), as mmagic's pix2pix
# and CycleGAN), 200 epochs: constant for 100, then linear decay to zero. The
# projector trains in the generators' optimizer ('distill'). On mmagic's GAN
# runtime.
_base_ = ['mmagic::_base_/gen_default_runtime.py']
custom_imports = dict(
    imports=['mmxtkd', 'mmxtkd.models.editing'], allow_failed_imports=False)
# BatchNorm (Pix2Pix's UNet and discriminator) over the global batch on
# several GPUs, as configs/_base_/default_runtime.py says.
sync_bn = 'torch'
# weight_decay: torch's AdamW default, stated; it reaches the projector, which
# trains in the generators' optimizer, and shrinks its small singular values
# (the rank SpectralRankHook reports).
adamw = dict(type='AdamW', lr=2e-4, betas=(0.5, 0.999), weight_decay=0.01)
optim_wrapper = dict(
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
train_cfg = dict(
    _delete_=True, type='EpochBasedTrainLoop', max_epochs=200,
    val_interval=10)
default_hooks = dict(
    logger=dict(interval=50),
    checkpoint=dict(
        type='mmxtkd.AtomicCheckpointHook', by_epoch=True, interval=10,
        max_keep_ckpts=3))
# the metrics of both translation tasks, completed by each with its keys:
# PSNR, and FID with pytorch-fid's Inception read from a local file
psnr = dict(type='mmxtkd.TransPSNR')
fid = dict(
    type='mmxtkd.TransFIDFromFile',
    inception_file='checkpoints/pt_inception-2015-12-05-6726825d.pth',
    prefix='FID',
    sample_model='orig')
