# REFILLED stage 1 (embedding) on CUB (_base_/refilled_stages.py):
# the student's embedding on the triplet loss alone, the cross-task
# teacher's triplet probabilities as targets. 200 epochs. Run with stage 2:
# tools/refilled_two_stage.sh.
_base_ = [
    './mbv1-1.0_baseline.py', '../../_base_/teachers/mbv1-cub0-99.py',
    '../../_base_/refilled_stages.py'
]
model = dict(
    student=dict(head=dict(loss=dict(loss_weight=0.0))),
    teacher={{_base_.mbv1_cub0_99_teacher}},
    distill_losses={{_base_.stage1_losses}})
param_scheduler = {{_base_.stage1_scheduler}}
