# On the data set of ./dlv3-r50_baseline.py: a transformers teacher,
# Depth Anything V2-S (depth), cross-task, inverted projection, L2 loss;
# DeepLabV3-ResNet-50 student. Not a paper cell: table 2a's method with a
# foundation-era teacher. 1xb20, 80 epochs.
_base_ = [
    './dlv3-r50_baseline.py', '../../_base_/teachers/depth-anything-v2-s.py'
]
model = dict(
    teacher={{_base_.depth_anything_v2_s_teacher}},
    projector=dict(type='mmxtkd.InvertedProjector'),
    teacher_channels={{_base_.depth_anything_v2_s_channels}},
    distill_losses=dict(l2=dict(type='mmxtkd.FitNetsLoss')))
# The projector's spectrum (the paper's figure 3), logged for both
# projections: the traditional twin inherits this hook.
custom_hooks = [dict(type='mmxtkd.SpectralRankHook', interval=100)]
