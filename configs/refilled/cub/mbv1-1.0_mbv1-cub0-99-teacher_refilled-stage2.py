# REFILLED stage 2 (classifier) on CUB: the student (stage 1's, from that
# run's last checkpoint, init_cfg; tools/refilled_two_stage.sh passes the
# one it made) trains with cross-entropy plus lambda x KL of the teacher's
# nearest-class-mean classifier over the batch's classes (tau2 = 2) against
# its own logits on those classes. lambda = 1000 with the original code's
# element-wise mean and its exp(-0.05) decay per epoch; the backbone at
# 0.1 x the classifier's lr. 200 epochs.
_base_ = [
    './mbv1-1.0_baseline.py', '../../_base_/teachers/mbv1_cub0-99.py'
]
model = dict(
    # stage 1's student, by its run's last checkpoint (the distiller's keys)
    student=dict(
        init_cfg=dict(
            type='Pretrained',
            checkpoint=(
                'work_dirs/refilled/cub/mbv1-1.0_mbv1-cub0-99-teacher_'
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
