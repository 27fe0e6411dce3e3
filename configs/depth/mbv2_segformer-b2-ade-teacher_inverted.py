# FitNets, inverted projection: a transformers teacher, SegFormer-B2 on
# ADE20K (segmentation, cross-task)
# -> MobileNetV2-0.5 + Decoder. Not a paper cell: the method with a
# foundation-era teacher. 1xb16, 25 epochs.
_base_ = ['./mbv2_baseline.py', '../_base_/teachers/segformer-b2-ade.py']
model = dict(
    teacher={{_base_.segformer_b2_ade_teacher}},
    projector=dict(type='mmxtkd.InvertedProjector'),
    teacher_channels={{_base_.segformer_b2_ade_channels}},
    distill_losses=dict(fitnets=dict(type='mmxtkd.FitNetsLoss')))
# The projector's spectrum (the paper's figure 3), logged for both
# projections: the traditional twin inherits this hook.
custom_hooks = [dict(type='mmxtkd.SpectralRankHook', interval=100)]
