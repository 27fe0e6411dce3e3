# As mbv1-1.0_mbv1-cub0-99-teacher_refilled-stage2.py, with MobileNet v1 of
# width 0.25 (256-d embedding), from its own stage 1.
_base_ = './mbv1-1.0_mbv1-cub0-99-teacher_refilled-stage2.py'
model = dict(
    student=dict(
        backbone=dict(widen_factor=0.25),
        head=dict(in_channels=256),
        init_cfg=dict(checkpoint=(
            'work_dirs/refilled/cub/mbv1-0.25_mbv1-cub0-99-teacher_'
            'refilled-stage1/epoch_200.pth'))))
