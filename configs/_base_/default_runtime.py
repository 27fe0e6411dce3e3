default_scope = 'mmseg'
custom_imports = dict(imports=['mmxtkd'], allow_failed_imports=False)
env_cfg = dict(
    cudnn_benchmark=True,
    mp_cfg=dict(mp_start_method='fork', opencv_num_threads=0),
    dist_cfg=dict(backend='nccl'),
)
vis_backends = [dict(type='LocalVisBackend')]
visualizer = dict(
    type='mmseg.SegLocalVisualizer',
    vis_backends=vis_backends,
    name='visualizer')
log_processor = dict(by_epoch=True)
log_level = 'INFO'
load_from = None
resume = False
# BatchNorm over the global batch on several GPUs (mmengine converts every
# BN of the model when the run is distributed and leaves one process's BN
# as it is), so 8xb2 normalises over the same 16 images as 1xb16. The frozen
# teacher is outside the model's module tree and keeps its own BN.
sync_bn = 'torch'
default_hooks = dict(
    timer=dict(type='IterTimerHook'),
    logger=dict(type='LoggerHook', interval=50, log_metric_by_epoch=True),
    param_scheduler=dict(type='ParamSchedulerHook'),
    # the last three epochs' checkpoints, for --resume, each written whole
    # before an old one goes; the results are the final model's (the paper
    # selects none on the test images)
    checkpoint=dict(
        type='mmxtkd.AtomicCheckpointHook',
        by_epoch=True,
        interval=1,
        max_keep_ckpts=3),
    sampler_seed=dict(type='DistSamplerSeedHook'),
    visualization=dict(type='mmseg.SegVisualizationHook'))
