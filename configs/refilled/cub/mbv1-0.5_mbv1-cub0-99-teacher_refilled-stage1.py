# As mbv1-1.0_mbv1-cub0-99-teacher_refilled-stage1.py, with MobileNet v1 of
# width 0.5 (512-d embedding).
_base_ = './mbv1-1.0_mbv1-cub0-99-teacher_refilled-stage1.py'
model = dict(
    student=dict(backbone=dict(widen_factor=0.5), head=dict(in_channels=512)))
