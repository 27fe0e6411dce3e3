# REFILLED's stage 2 (configs/_base_/refilled_stages.py: cross-entropy +
# lambda KL to the teacher's batch class-mean classifier, lambda 1000 on an
# element-wise mean decayed by exp(-0.05) an epoch as the original code, the
# backbone at a tenth of the head's learning rate), the student from stage
# 1 (the study fills in its checkpoint); the poster's teacher probabilities
# (the study also runs the code's:
# model.distill_losses.local.teacher_probabilities='code').
_base_ = [
    './wrn-16-1_scratch5-9.py', './_teacher.py',
    '../../../../configs/_base_/refilled_stages.py'
]
model = dict(
    student=dict(
        init_cfg=dict(
            type='Pretrained',
            checkpoint='work_dirs/fashion_refilled/stage1.pth',
            prefix='student.')),
    student_feature='neck',
    student_logits='head.fc',
    teacher={{_base_.fashion0_4_teacher}},
    distill_losses={{_base_.stage2_losses}})
optim_wrapper = {{_base_.stage2_optim_wrapper}}
