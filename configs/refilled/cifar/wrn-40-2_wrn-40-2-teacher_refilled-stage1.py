# REFILLED stage 1 (embedding), standard KD on CIFAR-100: as the CUB config
# (configs/refilled/cub/mbv1-1.0_mbv1-cub0-99-teacher_refilled-stage1.py):
# the triplet loss alone, semi-hard triplets (margin 0.2), tau1 = 4,
# weight 500; cosine lr 0.1 -> 0.01, 200 epochs.
_base_ = [
    './wrn-40-2_baseline.py', '../../_base_/teachers/wrn-40-2_cifar100.py'
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
