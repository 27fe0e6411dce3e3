# REFILLED's stage 1 (configs/_base_/refilled_stages.py: the triplet
# probabilities matched, the cross-entropy weighted 0, the cosine to a
# tenth) from the WRN-16-2 of classes 0-4.
_base_ = [
    './wrn-16-1_scratch5-9.py', './_teacher.py',
    '../../../../configs/_base_/refilled_stages.py'
]
model = dict(
    student=dict(head=dict(loss=dict(loss_weight=0.0))),
    student_feature='neck',
    teacher={{_base_.fashion0_4_teacher}},
    distill_losses={{_base_.stage1_losses}})
param_scheduler = dict(_base_.stage1_scheduler, T_max=200, eta_min=0.005)
