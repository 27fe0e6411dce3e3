# Table 2b: depth (AiT SwinV2-B, NYUv2) teacher,
# inverted projection, L2 loss; Pix2Pix colourisation student. 1xb8, 200 ep.
_base_ = [
    './pix2pix_baseline.py',
    '../_base_/distillation/l2_ait-swinv2b_depth_inverted.py'
]
model = dict(
    _base_.distill,
    teacher=dict(_base_.distill.teacher, **_base_.imagenet_from_gan))
