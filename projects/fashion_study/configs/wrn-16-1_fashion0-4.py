# The study's source model (docs/advanced/fashion_study.md): a WRN-16-1 on
# Fashion-MNIST's classes 0-4 (T-shirt, trouser, pullover, dress, coat), all
# 30,000 of their training images, tested on their 5,000 test images: the
# stand-in for the ImageNet pretraining of the paper's students. 28x28 grey
# in, its map (B, 64, 7, 7). SGD with Nesterov momentum, cosine, batch 128.
_base_ = '../../../configs/_base_/classification_runtime.py'
custom_imports = dict(
    imports=['mmxtkd', 'projects.fashion_study.modules'],
    allow_failed_imports=False)
classes = (0, 1, 2, 3, 4)
model = dict(
    type='mmxtkd.CrossTaskDistiller',
    student=dict(
        type='mmpretrain.ImageClassifier',
        data_preprocessor=dict(
            num_classes=5, mean=[72.94], std=[90.02], to_rgb=False),
        backbone=dict(
            type='mmxtkd.WideResNetCIFAR', depth=16, widen_factor=1,
            drop_rate=0.0, in_channels=1),
        neck=dict(type='GlobalAveragePooling'),
        head=dict(
            type='LinearClsHead', num_classes=5, in_channels=64,
            loss=dict(type='CrossEntropyLoss', loss_weight=1.0))),
    student_feature='backbone')
data_preprocessor = None
train_pipeline = [
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
    dict(type='PackInputs')
]
test_pipeline = [dict(type='PackInputs')]
train_dataloader = dict(
    batch_size=128,
    num_workers=0,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(
        type='mmxtkd.FashionMNIST', split='train', classes=classes,
        pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=500,
    num_workers=0,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type='mmxtkd.FashionMNIST', split='test', classes=classes,
        pipeline=test_pipeline))
test_dataloader = val_dataloader
val_evaluator = dict(type='Accuracy', topk=(1, ))
test_evaluator = val_evaluator
optim_wrapper = dict(
    optimizer=dict(
        type='SGD', lr=0.1, momentum=0.9, weight_decay=5e-4, nesterov=True))
param_scheduler = dict(type='CosineAnnealingLR', by_epoch=False, T_max=1000)
train_cfg = dict(
    type='IterBasedTrainLoop', max_iters=1000,
    val_interval=1000)
default_hooks = dict(
    logger=dict(interval=100),
    checkpoint=dict(by_epoch=False, interval=1000, max_keep_ckpts=1))
val_cfg = dict()
test_cfg = dict()
