# The same-task teacher (the upper reference): a WRN-16-2 trained on classes
# 5-9 with all 30,000 of their labelled training images.
_base_ = './wrn-16-1_fashion0-4.py'
classes = (5, 6, 7, 8, 9)
model = dict(
    student=dict(
        backbone=dict(widen_factor=2), head=dict(in_channels=128)))
train_dataloader = dict(dataset=dict(classes=classes))
val_dataloader = dict(dataset=dict(classes=classes))
test_dataloader = val_dataloader
