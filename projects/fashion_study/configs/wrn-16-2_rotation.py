# A cross-task teacher: a WRN-16-2 trained to predict by how many quarter
# turns an image was rotated (4 classes), on all 60,000 training images of
# all ten classes, their labels unused (RotationLabel). Random, it is one of
# the study's two random teachers.
_base_ = './wrn-16-1_fashion0-4.py'
classes = (0, 1, 2, 3, 4, 5, 6, 7, 8, 9)
model = dict(
    student=dict(
        data_preprocessor=dict(num_classes=4),
        backbone=dict(widen_factor=2),
        head=dict(num_classes=4, in_channels=128)))
train_dataloader = dict(
    dataset=dict(
        classes=classes,
        pipeline=[dict(type='mmxtkd.RotationLabel'),
                  dict(type='PackInputs')]))
val_dataloader = dict(
    dataset=dict(
        classes=classes,
        pipeline=[dict(type='mmxtkd.RotationLabel', seed=0),
                  dict(type='PackInputs')]))
test_dataloader = val_dataloader
