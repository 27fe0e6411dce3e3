# Standard KD (Hinton et al.), the "KD" row of REFILLED's CIFAR-100 table:
# the student's cross-entropy x 0.1 plus 0.9 x tau^2 KL of the teacher's
# softened logits (tau = 4), as the CIFAR-100 KD benchmarks run it. The
# teacher is the whole classifier (feature='student'), its logits the
# target.
_base_ = [
    './wrn-40-2_baseline.py', '../../_base_/teachers/wrn-40-2.py'
]
model = dict(
    student=dict(head=dict(loss=dict(loss_weight=0.1))),
    teacher=dict(_base_.wrn_40_2_teacher, feature='student'),
    student_logits='head.fc',
    distill_losses=dict(
        kd=dict(type='mmxtkd.LogitKDLoss', tau=4.0, loss_weight=0.9)))
