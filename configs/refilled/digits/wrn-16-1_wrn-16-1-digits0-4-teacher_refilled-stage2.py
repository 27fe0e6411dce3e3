# The demo's REFILLED stage 2 (_base_/refilled_stages.py), the student
# from stage 1's run (the demo fills in its checkpoint). lambda = 1 on the
# KL averaged over samples (the current code's form): the original code's
# 1000 x element-wise mean weighs it 200 times the cross-entropy with 5
# classes a batch, and diverged here (the cross-entropy rose from 1.6 to
# 7.8 in 4 iterations).
_base_ = [
    './wrn-16-1_baseline.py', '../../_base_/teachers/wrn-16-1-digits0-4.py',
    '../../_base_/refilled_stages.py'
]
model = dict(
    student=dict(
        init_cfg=dict(
            type='Pretrained',
            checkpoint='work_dirs/demo_refilled/stage1/epoch_40.pth',
            prefix='student.')),  # the distiller's keys
    teacher={{_base_.wrn_16_1_digits0_4_teacher}},
    student_logits='head.fc',
    distill_losses=dict(
        local=dict(type='mmxtkd.ClassMeanKDLoss', tau=2.0, loss_weight=1.0)))
optim_wrapper = {{_base_.stage2_optim_wrapper}}
