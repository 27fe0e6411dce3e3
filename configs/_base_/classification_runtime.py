# Runtime of the classification settings (REFILLED's tables): mmpretrain's
# default runtime, with mmxtkd's modules, BatchNorm over the global batch on
# several GPUs (the relational losses see the global batch too), the last
# three epochs' checkpoints and one line of log per 50 iterations.
_base_ = 'mmpretrain::_base_/default_runtime.py'
custom_imports = dict(imports=['mmxtkd'], allow_failed_imports=False)
sync_bn = 'torch'
default_hooks = dict(
    logger=dict(type='LoggerHook', interval=50),
    checkpoint=dict(
        type='mmxtkd.AtomicCheckpointHook', interval=1, max_keep_ckpts=3))
