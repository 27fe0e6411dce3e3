# REFILLED stage 1 (embedding), standard KD on CIFAR-100, as on CUB
# (_base_/refilled_stages.py). 200 epochs.
_base_ = [
    './wrn-40-2_baseline.py', '../../_base_/teachers/wrn-40-2.py',
    '../../_base_/refilled_stages.py'
]
model = dict(
    student=dict(head=dict(loss=dict(loss_weight=0.0))),
    teacher={{_base_.wrn_40_2_teacher}},
    distill_losses={{_base_.stage1_losses}})
param_scheduler = {{_base_.stage1_scheduler}}
