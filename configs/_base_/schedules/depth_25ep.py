# Supplementary 6.6: AdamW lr 2e-4, weight decay 0.05, OneCycle (max 2e-4),
# batch 16 in total, 25 epochs. The dataset base gives 16 per process, so one
# process is the paper's batch (1xb16); on 8 GPUs give 2 each (8xb2) with
# --cfg-options train_dataloader.batch_size=2, or train with another total and
# tools/train.py --auto-scale-lr, which scales lr (and OneCycle's peak, which
# follows it) by total batch / 16.
# Weight decay reaches the projector like every other weight (the paper's
# one AdamW for all parameters), stated here because it shrinks the
# projector's small singular values and so the rank SpectralRankHook reports
# (figure 3); decay_mult=0 would exempt it.
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='AdamW', lr=2e-4, weight_decay=0.05),
    paramwise_cfg=dict(custom_keys={'projector': dict(decay_mult=1.0)}))
param_scheduler = [
    dict(
        type='mmxtkd.OneCycleLR',  # peaks at the optimizer's lr
        begin=0,
        end=25,
        by_epoch=True,
        convert_to_iter_based=True)
]
auto_scale_lr = dict(enable=False, base_batch_size=16)
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=25, val_interval=1)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
