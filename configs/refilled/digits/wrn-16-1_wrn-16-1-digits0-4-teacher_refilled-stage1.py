# The demo's REFILLED stage 1: the student's embedding on the triplet loss
# alone (as configs/refilled/cub/...refilled-stage1.py), from the teacher
# of wrn-16-1_digits0-4.py (the demo fills in its checkpoint). 40 epochs,
# cosine lr.
_base_ = [
    './wrn-16-1_baseline.py', '../../_base_/teachers/wrn-16-1_digits0-4.py'
]
model = dict(
    student=dict(head=dict(loss=dict(loss_weight=0.0))),
    teacher={{_base_.teacher}},
    distill_losses=dict(
        triplet=dict(
            type='mmxtkd.TripletProbabilityLoss', tau=4.0, margin=0.2,
            loss_weight=500.0)))
param_scheduler = dict(
    _delete_=True, type='CosineAnnealingLR', by_epoch=True, T_max=40,
    eta_min=0.005)
