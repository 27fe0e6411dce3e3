# The image-translation runtime: mmagic's GAN runtime (its scope, hooks,
# separate DDP wrapper of each network, visualiser, multi-loop evaluation),
# with mmxtkd's runtime choices of default_runtime.py: BatchNorm over the
# global batch (Pix2Pix's UNet and discriminator) and checkpoints written
# whole, every 10 epochs, the last three kept. mmagic's own types are named
# with its scope. The model bases import mmxtkd
# and its editing students (custom_imports).
default_scope = 'mmagic'
randomness = dict(seed=2022, diff_rank_seed=True)
dist_params = dict(backend='nccl')
opencv_num_threads = 0
mp_start_method = 'fork'
env_cfg = dict(
    cudnn_benchmark=True,
    mp_cfg=dict(mp_start_method='fork', opencv_num_threads=0),
    dist_cfg=dict(backend='nccl'))
log_level = 'INFO'
log_processor = dict(type='LogProcessor', by_epoch=False)
load_from = None
resume = None
model_wrapper_cfg = dict(
    type='mmagic.MMSeparateDistributedDataParallel',
    broadcast_buffers=False,
    find_unused_parameters=False)
vis_backends = [dict(type='mmagic.VisBackend')]
visualizer = dict(type='mmagic.Visualizer', vis_backends=vis_backends)
val_cfg = dict(type='mmagic.MultiValLoop')
test_cfg = dict(type='mmagic.MultiTestLoop')
sync_bn = 'torch'
default_hooks = dict(
    timer=dict(type='IterTimerHook'),
    logger=dict(type='LoggerHook', interval=50, log_metric_by_epoch=False),
    checkpoint=dict(
        type='mmxtkd.AtomicCheckpointHook',
        interval=10,
        by_epoch=True,
        max_keep_ckpts=3,
        less_keys=['FID-Full-50k/fid', 'FID-50k/fid', 'swd/avg'],
        greater_keys=['IS-50k/is', 'ms-ssim/avg'],
        save_optimizer=True))
