# Table 2b: classification (ViT-B/16, ImageNet) teacher,
# inverted projection, L2 loss; Pix2Pix colourisation student. 1xb8, 200 ep.
_base_ = [
    './pix2pix_baseline.py',
    '../_base_/distillation/l2_vitb16_cls_inverted.py'
]
model = dict(
    _base_.distill,
    teacher=dict(_base_.distill.teacher, **_base_.imagenet_from_gan))
