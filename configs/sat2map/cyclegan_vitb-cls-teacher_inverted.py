# Tables 2c and 10: classification (ViT-B/16, ImageNet) teacher,
# inverted projection, L2 loss, Z_s = G_B_E(G_A(x)); CycleGAN
# satellite-to-map student. 1xb8, 200 epochs.
_base_ = [
    './cyclegan_baseline.py',
    '../_base_/distillation/l2_vitb16_cls_inverted.py'
]
model = dict(
    _base_.distill,
    teacher=dict(_base_.distill.teacher, **_base_.imagenet_from_gan))
