# MobileNet v1 (width 1; mmxtkd.MobileNetV1) classifying one half of CUB-200
# (100 classes): REFILLED's CUB student and teacher. Wrapped in
# CrossTaskDistiller; with no teacher and no distillation losses it is the
# student alone. Its embedding is the neck's pooled (B, 1024 x width).
model = dict(
    type='mmxtkd.CrossTaskDistiller',
    student=dict(
        type='mmpretrain.ImageClassifier',
        data_preprocessor=dict(
            num_classes=100,
            mean=[123.675, 116.28, 103.53],
            std=[58.395, 57.12, 57.375],
            to_rgb=True),
        backbone=dict(type='mmxtkd.MobileNetV1', widen_factor=1.0),
        neck=dict(type='GlobalAveragePooling'),
        head=dict(
            type='LinearClsHead',
            num_classes=100,
            in_channels=1024,
            loss=dict(type='CrossEntropyLoss', loss_weight=1.0))),
    student_feature='neck')
# the classifier's data preprocessor is in the student
data_preprocessor = None
