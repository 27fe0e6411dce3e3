# Table 2b: random (ResNet-50, seed 0) teacher,
# inverted projection, L2 loss; Pix2Pix colourisation student. 1xb8, 200 ep.
_base_ = [
    './pix2pix_baseline.py',
    '../_base_/distillation/l2_r50_random_inverted.py'
]
model = dict(
    _base_.distill,
    teacher=dict(_base_.distill.teacher, **_base_.imagenet_from_gan))
