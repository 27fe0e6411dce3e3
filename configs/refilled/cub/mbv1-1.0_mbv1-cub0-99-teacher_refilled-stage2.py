# REFILLED stage 2 (classifier) on CUB (_base_/refilled_stages.py):
# cross-entropy plus the teacher's batch class-mean classifier distilled
# into the student's logits on the batch's classes; the student from stage
# 1's run (its last checkpoint; tools/refilled_two_stage.sh points this at
# the run it made). 200 epochs.
_base_ = [
    './mbv1-1.0_baseline.py', '../../_base_/teachers/mbv1-cub0-99.py',
    '../../_base_/refilled_stages.py'
]
model = dict(
    student=dict(
        init_cfg=dict(
            type='Pretrained',
            checkpoint=(
                'work_dirs/refilled/cub/mbv1-1.0_mbv1-cub0-99-teacher_'
                'refilled-stage1/epoch_200.pth'),
            prefix='student.')),  # the distiller's keys
    teacher={{_base_.mbv1_cub0_99_teacher}},
    student_logits='head.fc',
    distill_losses={{_base_.stage2_losses}})
optim_wrapper = {{_base_.stage2_optim_wrapper}}
