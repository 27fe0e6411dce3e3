# REFILLED stage 1 (embedding) on CUB: the student trains on the triplet
# loss alone (its cross-entropy weighted 0): semi-hard triplets mined from
# its own embedding (margin 0.2), the teacher's triplet probabilities
# (tau1 = 4) as targets; weight 500 (the authors' 1000 x a mean over the
# two entries of each Bernoulli). Cosine lr 0.1 -> 0.01, 200 epochs.
# Run with stage 2: tools/refilled_two_stage.sh.
_base_ = [
    './mbv1-1.0_baseline.py', '../../_base_/teachers/mbv1_cub0-99.py'
]
model = dict(
    student=dict(head=dict(loss=dict(loss_weight=0.0))),
    teacher={{_base_.teacher}},
    distill_losses=dict(
        triplet=dict(
            type='mmxtkd.TripletProbabilityLoss', tau=4.0, margin=0.2,
            loss_weight=500.0)))
# the authors' stage 1 anneals (cosine, lr 0.1 -> 0.01) instead of stepping
param_scheduler = dict(
    _delete_=True, type='CosineAnnealingLR', by_epoch=True, T_max=200,
    eta_min=0.01)
