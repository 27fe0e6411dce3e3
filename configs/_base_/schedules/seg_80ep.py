# Supplementary 6.6: AdamW lr 5e-3, weight decay 1e-2, OneCycle (max 5e-3),
# batch 20 in total, 80 epochs. The dataset bases give 20 per process (1xb20);
# on 4 GPUs give 5 each (4xb5) with --cfg-options
# train_dataloader.batch_size=5 (BN synchronised: the runtime's sync_bn), or
# train with another total and
# tools/train.py --auto-scale-lr (lr and OneCycle's peak scale by total / 20).
# Weight decay reaches the projector like every other weight (the paper's
# one AdamW for all parameters), stated here because it shrinks the
# projector's small singular values and so the rank SpectralRankHook reports
# (figure 3); decay_mult=0 would exempt it.
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='AdamW', lr=5e-3, weight_decay=1e-2),
    paramwise_cfg=dict(custom_keys={'projector': dict(decay_mult=1.0)}))
param_scheduler = [
    dict(
        type='mmxtkd.OneCycleLR',  # peaks at the optimizer's lr
        begin=0,
        end=80,
        by_epoch=True,
        convert_to_iter_based=True)
]
auto_scale_lr = dict(enable=False, base_batch_size=20)
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=80, val_interval=8)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
