# As mbv1-1.0_baseline.py, with MobileNet v1 of width 0.75 (768-d embedding).
_base_ = './mbv1-1.0_baseline.py'
model = dict(
    student=dict(backbone=dict(widen_factor=0.75), head=dict(in_channels=768)))
