# REFILLED's cross-task teacher on Fashion-MNIST: a WRN-16-2 trained on
# classes 0-4 with all 30,000 of their labelled training images (the
# classes the students never see).
_base_ = './wrn-16-1_fashion0-4.py'
model = dict(
    student=dict(
        backbone=dict(widen_factor=2), head=dict(in_channels=128)))
