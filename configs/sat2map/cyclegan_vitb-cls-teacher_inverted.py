# Tables 2c and 10: classification (ViT-B/16, ImageNet) teacher,
# inverted projection, L2 loss, Z_s = G_B_E(G_A(x)); CycleGAN
# satellite-to-map student. 1xb8, 200 epochs.
_base_ = ['./cyclegan_baseline.py', '../_base_/teachers/vitb-cls.py']
model = dict(
    teacher=dict(_base_.vitb_cls_teacher, **_base_.imagenet_from_gan),
    projector=dict(type='mmxtkd.InvertedProjector'),
    teacher_channels={{_base_.vitb_cls_channels}},
    distill_losses=dict(l2=dict(type='mmxtkd.FitNetsLoss')))
# The projector's spectrum (the paper's figure 3), logged for both
# projections: the traditional twin inherits this hook.
custom_hooks = [dict(type='mmxtkd.SpectralRankHook', interval=100)]
