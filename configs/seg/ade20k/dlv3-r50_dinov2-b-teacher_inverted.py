# On the data set of ./dlv3-r50_baseline.py: a transformers teacher,
# DINOv2 ViT-B/14 (self-supervised), cross-task, inverted projection, L2 loss;
# DeepLabV3-ResNet-50 student. Not a paper cell: table 2a's method with a
# foundation-era teacher. 1xb20, 80 epochs.
_base_ = ['./dlv3-r50_baseline.py', '../../_base_/teachers/dinov2-b.py']
model = dict(
    teacher={{_base_.dinov2_b_teacher}},
    projector=dict(type='mmxtkd.InvertedProjector'),
    teacher_channels={{_base_.dinov2_b_channels}},
    distill_losses=dict(l2=dict(type='mmxtkd.FitNetsLoss')))
# The projector's spectrum (the paper's figure 3), logged for both
# projections: the traditional twin inherits this hook.
custom_hooks = [dict(type='mmxtkd.SpectralRankHook', interval=100)]
