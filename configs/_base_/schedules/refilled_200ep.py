# REFILLED's schedule (the authors' code): SGD with Nesterov momentum 0.9,
# weight decay 5e-4, lr 0.1 for a batch of 128, x0.2 at epochs 100, 140 and
# 180, 200 epochs: the teachers', the students' alone, KD's and REFILLED's
# stage 2 (stage 1 anneals instead).
optim_wrapper = dict(
    optimizer=dict(
        type='SGD', lr=0.1, momentum=0.9, weight_decay=5e-4, nesterov=True),
    paramwise_cfg=dict(custom_keys={'projector': dict(decay_mult=1.0)}))
param_scheduler = dict(
    type='MultiStepLR', by_epoch=True, milestones=[100, 140, 180], gamma=0.2)
train_cfg = dict(by_epoch=True, max_epochs=200, val_interval=10)
val_cfg = dict()
test_cfg = dict()
auto_scale_lr = dict(base_batch_size=128)
