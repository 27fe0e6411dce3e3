# As wrn-40-2_wrn-40-2-teacher_refilled-stage2.py, with a WRN-16-2 student
# (128-d embedding), from its own stage 1.
_base_ = './wrn-40-2_wrn-40-2-teacher_refilled-stage2.py'
model = dict(
    student=dict(
        backbone=dict(depth=16, widen_factor=2),
        head=dict(in_channels=128),
        init_cfg=dict(checkpoint=(
            'work_dirs/refilled/cifar/wrn-16-2_wrn-40-2-teacher_'
            'refilled-stage1/epoch_200.pth'))))
