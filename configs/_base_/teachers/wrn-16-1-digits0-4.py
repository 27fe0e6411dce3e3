# The REFILLED demo's cross-task teacher: a WRN-16-1 trained on digits 0-4 by
# configs/refilled/digits/wrn-16-1_digits0-4.py (tools/demo.py --task
# refilled trains it first and points this at its checkpoint). Its map: the
# backbone's last (64 x 8 x 8), pooled into the embedding.
wrn_16_1_digits0_4_teacher = dict(
    type='mmxtkd.FrozenTeacher',
    model='mmxtkd::refilled/digits/wrn-16-1_digits0-4.py',
    feature='student.backbone',
    checkpoint='work_dirs/demo_refilled/teacher/epoch_15.pth')
wrn_16_1_digits0_4_channels = 64
