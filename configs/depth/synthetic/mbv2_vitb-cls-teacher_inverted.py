# The main job on the embedded synthetic NYUv2-layout data set, sized for a
# 2-core CPU in minutes (`make demo`). Differences from the parent config:
# - data: data/nyu_depth_v2_synthetic (tools/dataset_converters/
#   make_synthetic.py), 96x128 frames; the parent's 480x480 random crop
#   then keeps whole frames, the other augmentations are unchanged;
# - student: trains from scratch (no ImageNet weights on a machine with no
#   downloads); the paper's encoder starts from ImageNet weights;
# - teacher: ViT-B/16 *randomly initialised* (seed 0), since no weights can be
#   downloaded here; the inverted projection and FitNets loss are unchanged;
# - schedule: 160 iterations of batch 8, OneCycle with max lr 1e-3.
_base_ = ['../mbv2_vitb-cls-teacher_inverted.py']

data_root = 'data/nyu_depth_v2_synthetic'
model = dict(
    student=dict(backbone=dict(init_cfg=None)),
    teacher=dict(checkpoint=None, init_seed=0))
train_dataloader = dict(
    batch_size=8, num_workers=2, dataset=dict(data_root=data_root))
val_dataloader = dict(
    batch_size=4, num_workers=2, dataset=dict(data_root=data_root))
test_dataloader = val_dataloader

max_iters = 160
optim_wrapper = dict(optimizer=dict(lr=1e-3))
param_scheduler = [
    dict(
        type='OneCycleLR',
        eta_max=1e-3,
        total_steps=max_iters,
        begin=0,
        end=max_iters,
        by_epoch=False)
]
train_cfg = dict(
    _delete_=True,
    type='IterBasedTrainLoop',
    max_iters=max_iters,
    val_interval=max_iters)
log_processor = dict(by_epoch=False)
default_hooks = dict(
    logger=dict(interval=20, log_metric_by_epoch=False),
    checkpoint=dict(by_epoch=False, interval=max_iters // 2, max_keep_ckpts=2))
custom_hooks = [dict(type='mmxtkd.SpectralRankHook', interval=20)]
env_cfg = dict(cudnn_benchmark=False)
randomness = dict(seed=0)
