# REFILLED's standard-KD teacher: WRN-40-2 trained on CIFAR-100 by
# configs/refilled/cifar/wrn-40-2_baseline.py, loaded from that run's last
# checkpoint (the distiller's 'student.' keys). Its map: the backbone's last
# (128 x 8 x 8), pooled into the embedding; KD takes its logits instead
# (feature='').
teacher = dict(
    type='mmxtkd.FrozenTeacher',
    model=dict(
        type='mmpretrain.ImageClassifier',
        backbone=dict(
            type='mmxtkd.WideResNetCIFAR', depth=40, widen_factor=2,
            drop_rate=0.3),
        neck=dict(type='GlobalAveragePooling'),
        head=dict(type='LinearClsHead', num_classes=100, in_channels=128)),
    checkpoint='work_dirs/refilled/cifar/wrn-40-2_baseline/epoch_200.pth',
    revise_keys=[(r'^student\.', '')])
teacher_channels = 128
