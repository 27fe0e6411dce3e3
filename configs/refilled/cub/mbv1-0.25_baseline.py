# As mbv1-1.0_baseline.py, with MobileNet v1 of width 0.25 (256-d embedding).
_base_ = './mbv1-1.0_baseline.py'
model = dict(
    student=dict(backbone=dict(widen_factor=0.25), head=dict(in_channels=256)))
