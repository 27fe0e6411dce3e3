# The REFILLED demo (tools/demo.py --task refilled) on real data that ships
# with scikit-learn: its handwritten digits written by
# mmxtkd.datasets.make_digits_class_split into data/digits_class_split/
# (32x32). The student: a WRN-16-1 (no dropout) trained alone on digits
# 5-9 from 10 images each (50 in all), tested on their other 846. SGD as
# REFILLED's schedule, 40 epochs of 2 batches of 25. CPU-sized.
_base_ = [
    '../../_base_/models/cls_wrn_cifar100.py',
    '../../_base_/schedules/refilled_200ep.py',
    '../../_base_/classification_runtime.py'
]
data_root = 'data/digits_class_split/student'
model = dict(
    student=dict(
        data_preprocessor=dict(
            num_classes=5, mean=[77.4] * 3, std=[83.2] * 3, to_rgb=False),
        backbone=dict(depth=16, widen_factor=1, drop_rate=0.0),
        head=dict(num_classes=5, in_channels=64)))
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='RandomCrop', crop_size=32, padding=2),
    dict(type='PackInputs'),
]
test_pipeline = [dict(type='LoadImageFromFile'), dict(type='PackInputs')]
train_dataloader = dict(
    batch_size=25,
    num_workers=0,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type='CustomDataset', data_root=data_root, data_prefix='train',
        pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=128,
    num_workers=0,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type='CustomDataset', data_root=data_root, data_prefix='test',
        pipeline=test_pipeline))
test_dataloader = val_dataloader
val_evaluator = dict(type='Accuracy', topk=(1, ))
test_evaluator = val_evaluator
optim_wrapper = dict(optimizer=dict(lr=0.05))
param_scheduler = dict(milestones=[20, 30])
train_cfg = dict(max_epochs=40, val_interval=40)
default_hooks = dict(logger=dict(interval=10))
