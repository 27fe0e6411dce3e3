# The demo's REFILLED stage 2: cross-entropy plus the teacher's batch
# class-mean classifier distilled into the student's logits (as
# configs/refilled/cub/...refilled-stage2.py), the student from stage 1's
# checkpoint (init_cfg; the demo fills in its run's). lambda = 1 on the KL
# averaged over samples (the current code's form): the original code's
# 1000 x element-wise mean weighs it 200 times the cross-entropy with 5
# classes a batch, and diverged here (the cross-entropy rose from 1.6 to 7.8
# in 4 iterations).
_base_ = [
    './wrn-16-1_baseline.py', '../../_base_/teachers/wrn-16-1_digits0-4.py'
]
model = dict(
    # stage 1's student, by its run's last checkpoint (the distiller's keys)
    student=dict(
        init_cfg=dict(
            type='Pretrained',
            checkpoint=('work_dirs/demo_refilled/stage1/epoch_40.pth'),
            prefix='student.')),
    teacher={{_base_.teacher}},
    student_logits='head.fc',
    distill_losses=dict(
        local=dict(type='mmxtkd.ClassMeanKDLoss', tau=2.0, loss_weight=1.0)))
optim_wrapper = dict(
    paramwise_cfg=dict(custom_keys={'student.backbone': dict(lr_mult=0.1)}))
