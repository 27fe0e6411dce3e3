# REFILLED's cross-task teacher: MobileNet v1 (width 1) trained on CUB's
# classes 0-99 by configs/refilled/cub/mbv1-1.0_cub0-99.py (no such teacher
# can be downloaded); its checkpoint, copied to checkpoints/, loads into the
# same model config. Its map: the backbone's last (1024 x H/32 x W/32),
# pooled into the embedding the relational losses compare.
mbv1_cub0_99_teacher = dict(
    type='mmxtkd.FrozenTeacher',
    model='mmxtkd::_base_/models/cls_mbv1_cub.py',
    feature='student.backbone',
    checkpoint='checkpoints/mbv1-1.0_cub0-99.pth')
mbv1_cub0_99_channels = 1024
