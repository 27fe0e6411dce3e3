# REFILLED's student on Fashion-MNIST, alone: a WRN-16-1 from scratch (as
# REFILLED's students start) on classes 5-9 from `per_class` training images
# a class, drawn by the run's seed; epochs of batch 25 (REFILLED's lambda
# decays by epoch), SGD with Nesterov momentum, a cosine over the run. The
# study fills in per_class, the seed and the epochs.
_base_ = '../wrn-16-1_fashion5-9.py'
model = dict(student=dict(backbone=dict(init_cfg=None)))
train_dataloader = dict(
    batch_size=25,
    sampler=dict(_delete_=True, type='DefaultSampler', shuffle=True),
    dataset=dict(per_class=10))
optim_wrapper = dict(optimizer=dict(lr=0.05))
param_scheduler = dict(by_epoch=True, T_max=200)
train_cfg = dict(
    _delete_=True, type='EpochBasedTrainLoop', max_epochs=200,
    val_interval=200)
default_hooks = dict(
    checkpoint=dict(by_epoch=True, interval=200, max_keep_ckpts=1))
