# The cross-task teacher: MobileNet v1 (width 1) trained on CUB's other
# half, classes 0-99, whose last checkpoint _base_/teachers/mbv1-cub0-99.py
# loads. Train it first.
_base_ = './mbv1-1.0_baseline.py'
class_range = (0, 100)
train_dataloader = dict(dataset=dict(class_range=class_range))
val_dataloader = dict(dataset=dict(class_range=class_range))
test_dataloader = val_dataloader
