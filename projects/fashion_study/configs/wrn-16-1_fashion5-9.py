# The study's student: the source WRN-16-1 (wrn-16-1_fashion0-4.py; its
# backbone, a new head) trained on classes 5-9 (sandal, shirt, sneaker, bag,
# ankle boot) from `per_class` training images of each, drawn by the run's
# seed; tested on all 5,000 test images of those classes. The study fills in
# the source checkpoint, per_class, the seed and the length.
_base_ = './wrn-16-1_fashion0-4.py'
classes = (5, 6, 7, 8, 9)
model = dict(
    student=dict(
        backbone=dict(
            init_cfg=dict(
                type='Pretrained',
                checkpoint='work_dirs/fashion_study/source.pth',
                prefix='student.backbone.'))))
train_dataloader = dict(
    batch_size=32,
    dataset=dict(classes=classes, per_class=40, seed=0))
val_dataloader = dict(dataset=dict(classes=classes))
test_dataloader = val_dataloader
optim_wrapper = dict(optimizer=dict(lr=0.02))
param_scheduler = dict(T_max=300)
train_cfg = dict(max_iters=300, val_interval=300)
default_hooks = dict(
    logger=dict(interval=50), checkpoint=dict(interval=300))
