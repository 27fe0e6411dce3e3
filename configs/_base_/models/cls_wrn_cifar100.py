# WRN-40-2 (mmxtkd.WideResNetCIFAR, dropout 0.3 as REFILLED's code) on
# CIFAR-100: REFILLED's standard-KD teacher and, narrower or shallower, its
# students. Wrapped in CrossTaskDistiller (the student alone without a
# teacher). Its embedding is the neck's pooled (B, 64 x k).
model = dict(
    type='mmxtkd.CrossTaskDistiller',
    student=dict(
        type='mmpretrain.ImageClassifier',
        data_preprocessor=dict(
            num_classes=100,
            mean=[129.304, 124.070, 112.434],
            std=[68.170, 65.392, 70.418],
            to_rgb=False),  # CIFAR's pickles hold RGB
        backbone=dict(
            type='mmxtkd.WideResNetCIFAR', depth=40, widen_factor=2,
            drop_rate=0.3),
        neck=dict(type='GlobalAveragePooling'),
        head=dict(
            type='LinearClsHead',
            num_classes=100,
            in_channels=128,
            loss=dict(type='CrossEntropyLoss', loss_weight=1.0))),
    student_feature='neck')
data_preprocessor = None
