# As mbv1-1.0_mbv1-cub0-99-teacher_inverted.py, with MobileNet v1 of width 0.75
# (768-d embedding).
_base_ = './mbv1-1.0_mbv1-cub0-99-teacher_inverted.py'
model = dict(
    student=dict(backbone=dict(widen_factor=0.75), head=dict(in_channels=768)),
    student_channels=768)
