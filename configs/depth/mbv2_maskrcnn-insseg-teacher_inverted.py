# FitNets, inverted projection: instance-segmentation (mmdet Mask R-CNN R-50)
# teacher -> MobileNetV2-0.5 + Decoder. 1xb16, 25 epochs.
_base_ = ['./mbv2_baseline.py', '../_base_/teachers/maskrcnn-insseg.py']
model = dict(
    teacher={{_base_.maskrcnn_insseg_teacher}},
    projector=dict(type='mmxtkd.InvertedProjector'),
    teacher_channels={{_base_.maskrcnn_insseg_channels}},
    distill_losses=dict(fitnets=dict(type='mmxtkd.FitNetsLoss')))
# The projector's spectrum (the paper's figure 3), logged for both
# projections: the traditional twin inherits this hook.
custom_hooks = [dict(type='mmxtkd.SpectralRankHook', interval=100)]
