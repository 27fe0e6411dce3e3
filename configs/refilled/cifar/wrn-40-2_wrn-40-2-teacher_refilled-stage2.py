# REFILLED stage 2 (classifier), standard KD on CIFAR-100: as the CUB config
# (cross-entropy + lambda KL of the teacher's batch class-mean classifier,
# tau2 = 2, lambda 1000 element-wise mean, exp(-0.05) decay per epoch,
# backbone at 0.1 x lr), the student from stage 1's last checkpoint
# (init_cfg). 200 epochs.
_base_ = [
    './wrn-40-2_baseline.py', '../../_base_/teachers/wrn-40-2_cifar100.py'
]
model = dict(
    # stage 1's student, by its run's last checkpoint (the distiller's keys)
    student=dict(
        init_cfg=dict(
            type='Pretrained',
            checkpoint=(
                'work_dirs/refilled/cifar/wrn-40-2_wrn-40-2-teacher_'
                'refilled-stage1/epoch_200.pth'),
            prefix='student.')),
    teacher={{_base_.teacher}},
    student_logits='head.fc',
    distill_losses=dict(
        local=dict(
            type='mmxtkd.ClassMeanKDLoss', tau=2.0, reduction='mean',
            epoch_decay=0.951229424500714,  # exp(-0.05)
            loss_weight=1000.0)))
optim_wrapper = dict(
    paramwise_cfg=dict(custom_keys={'student.backbone': dict(lr_mult=0.1)}))
