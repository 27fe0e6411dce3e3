# As wrn-40-2_wrn-40-2-teacher_refilled-stage1.py, with a WRN-16-1 student
# (64-d embedding).
_base_ = './wrn-40-2_wrn-40-2-teacher_refilled-stage1.py'
model = dict(
    student=dict(
        backbone=dict(depth=16, widen_factor=1),
        head=dict(in_channels=64)))
