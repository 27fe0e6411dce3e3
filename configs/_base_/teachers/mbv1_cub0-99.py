# REFILLED's cross-task teacher: MobileNet v1 (width 1) trained on CUB's
# classes 0-99 by configs/refilled/cub/mbv1-1.0_cub0-99.py (no such teacher
# can be downloaded), loaded from that run's last checkpoint (the distiller's
# 'student.' keys). Its map: the backbone's last (1024 x H/32 x W/32),
# pooled into the embedding the relational losses compare.
teacher = dict(
    type='mmxtkd.FrozenTeacher',
    model=dict(
        type='mmpretrain.ImageClassifier',
        backbone=dict(type='mmxtkd.MobileNetV1', widen_factor=1.0),
        neck=dict(type='GlobalAveragePooling'),
        head=dict(type='LinearClsHead', num_classes=100, in_channels=1024)),
    checkpoint='work_dirs/refilled/cub/mbv1-1.0_cub0-99/epoch_200.pth',
    revise_keys=[(r'^student\.', '')])
teacher_channels = 1024
