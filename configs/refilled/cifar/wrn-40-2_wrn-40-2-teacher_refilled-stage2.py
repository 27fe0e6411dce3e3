# REFILLED stage 2 (classifier), standard KD on CIFAR-100, as on CUB
# (_base_/refilled_stages.py), the student from stage 1's run.
# 200 epochs.
_base_ = [
    './wrn-40-2_baseline.py', '../../_base_/teachers/wrn-40-2.py',
    '../../_base_/refilled_stages.py'
]
model = dict(
    student=dict(
        init_cfg=dict(
            type='Pretrained',
            checkpoint=(
                'work_dirs/refilled/cifar/wrn-40-2_wrn-40-2-teacher_'
                'refilled-stage1/epoch_200.pth'),
            prefix='student.')),  # the distiller's keys
    teacher={{_base_.wrn_40_2_teacher}},
    student_logits='head.fc',
    distill_losses={{_base_.stage2_losses}})
optim_wrapper = {{_base_.stage2_optim_wrapper}}
