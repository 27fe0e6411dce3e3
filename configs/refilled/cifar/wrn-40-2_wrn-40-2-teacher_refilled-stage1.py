# REFILLED stage 1 (embedding), standard KD on CIFAR-100, as on CUB
# (_base_/distillation/refilled.py). 200 epochs.
_base_ = [
    './wrn-40-2_baseline.py', '../../_base_/teachers/wrn-40-2_cifar100.py',
    '../../_base_/distillation/refilled.py'
]
model = dict(
    student=dict(head=dict(loss=dict(loss_weight=0.0))),
    teacher={{_base_.wrn_40_2_cifar100_teacher}},
    distill_losses={{_base_.stage1_losses}})
param_scheduler = {{_base_.stage1_scheduler}}
