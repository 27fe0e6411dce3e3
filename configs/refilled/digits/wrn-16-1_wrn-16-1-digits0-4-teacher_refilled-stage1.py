# The demo's REFILLED stage 1 (_base_/refilled_stages.py), from the
# teacher of wrn-16-1_digits0-4.py (the demo fills in its checkpoint); the
# cosine over the demo's 40 epochs.
_base_ = [
    './wrn-16-1_baseline.py', '../../_base_/teachers/wrn-16-1-digits0-4.py',
    '../../_base_/refilled_stages.py'
]
model = dict(
    student=dict(head=dict(loss=dict(loss_weight=0.0))),
    teacher={{_base_.wrn_16_1_digits0_4_teacher}},
    distill_losses={{_base_.stage1_losses}})
param_scheduler = dict(_base_.stage1_scheduler, T_max=40, eta_min=0.005)
