# The paper's method on REFILLED's setting (reported by neither paper):
# FitNets through the inverted projector, the cross-task CUB teacher's last
# map (1024 x 7 x 7) projected into the student's (1024 x w), with the
# student's cross-entropy, 1:1. 200 epochs.
_base_ = [
    './mbv1-1.0_baseline.py', '../../_base_/teachers/mbv1-cub0-99.py'
]
model = dict(
    teacher={{_base_.mbv1_cub0_99_teacher}},
    projector=dict(type='mmxtkd.InvertedProjector'),
    teacher_channels={{_base_.mbv1_cub0_99_channels}},
    student_channels=1024,
    student_feature='backbone',
    distill_losses=dict(fitnets=dict(type='mmxtkd.FitNetsLoss')))
# The projector's spectrum (the paper's figure 3), as in every distilled
# config.
custom_hooks = [dict(type='mmxtkd.SpectralRankHook', interval=100)]
