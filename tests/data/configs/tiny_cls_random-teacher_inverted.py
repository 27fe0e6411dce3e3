# A tiny end-to-end job for the tools' tests: a small mmpretrain classifier
# distilled from a randomly initialised, frozen ResNet through an inverted
# projector (FitNets). The tests write the image folder it reads.
default_scope = 'mmpretrain'
custom_imports = dict(imports=['mmxtkd'], allow_failed_imports=False)

data_root = 'data/tiny_cls'  # overridden by the tests
mean = [123.675, 116.28, 103.53]
std = [58.395, 57.12, 57.375]

model = dict(
    type='mmxtkd.CrossTaskDistiller',
    student=dict(
        type='mmpretrain.ImageClassifier',
        data_preprocessor=dict(
            num_classes=2, mean=mean, std=std, to_rgb=True),
        backbone=dict(
            type='ResNet', depth=18, base_channels=8, stem_channels=8,
            out_indices=(3, )),
        neck=dict(type='GlobalAveragePooling'),
        head=dict(
            type='LinearClsHead', num_classes=2, in_channels=64,
            loss=dict(type='CrossEntropyLoss', loss_weight=1.0))),
    teacher=dict(
        type='mmxtkd.FrozenTeacher',
        model=dict(
            type='mmpretrain.ResNet', depth=18, base_channels=16,
            stem_channels=16, out_indices=(2, )),
        init_seed=0),
    projector=dict(
        type='mmxtkd.InvertedProjector', in_channels=64, out_channels=64),
    distill_losses=dict(fitnets=dict(type='mmxtkd.FitNetsLoss')),
    student_feature='backbone')

pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=(32, 32)),
    dict(type='PackInputs'),
]
train_dataloader = dict(
    batch_size=4,
    num_workers=0,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(type='CustomDataset', data_root=data_root, pipeline=pipeline))
val_dataloader = dict(
    batch_size=4,
    num_workers=0,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(type='CustomDataset', data_root=data_root, pipeline=pipeline))
test_dataloader = val_dataloader
val_evaluator = dict(type='Accuracy', topk=(1, ))
test_evaluator = val_evaluator

optim_wrapper = dict(
    type='OptimWrapper', optimizer=dict(type='AdamW', lr=2e-3, weight_decay=0.05))
param_scheduler = [dict(type='ConstantLR', factor=1.0, by_epoch=False)]
train_cfg = dict(type='IterBasedTrainLoop', max_iters=8, val_interval=4)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')

default_hooks = dict(
    timer=dict(type='IterTimerHook'),
    logger=dict(type='LoggerHook', interval=1),
    param_scheduler=dict(type='ParamSchedulerHook'),
    checkpoint=dict(
        type='mmxtkd.AtomicCheckpointHook', by_epoch=False, interval=4),
    sampler_seed=dict(type='DistSamplerSeedHook'),
)
custom_hooks = [dict(type='mmxtkd.SpectralRankHook', interval=2)]
env_cfg = dict(
    cudnn_benchmark=False,
    mp_cfg=dict(mp_start_method='fork', opencv_num_threads=0),
    dist_cfg=dict(backend='nccl'))
vis_backends = [dict(type='LocalVisBackend')]
visualizer = dict(type='UniversalVisualizer', vis_backends=vis_backends)
log_processor = dict(by_epoch=False)
log_level = 'INFO'
load_from = None
resume = False
randomness = dict(seed=0)
