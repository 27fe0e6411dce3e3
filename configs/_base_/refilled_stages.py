# REFILLED's two stages as the configs of every setting run them (CUB,
# CIFAR-100; the digits demo changes lambda and the epochs):
# configs/refilled/README.md says which version of the authors' code each
# number follows. Stage 1: the triplet loss alone (the student's
# cross-entropy weighted 0), semi-hard triplets (margin 0.2) mined from the
# student, tau1 = 4, weight 500 (the codes' 1000 x a mean over the two
# entries of each Bernoulli), the learning rate annealed by a cosine to a
# tenth. Stage 2: cross-entropy + lambda KL of the teacher's batch
# class-mean classifier (tau2 = 2; lambda 1000 on an element-wise mean,
# x exp(-0.05) per epoch, as the original code), the backbone at a tenth of
# the classifier's learning rate; the student from stage 1 (init_cfg).
stage1_losses = dict(
    triplet=dict(
        type='mmxtkd.TripletProbabilityLoss', tau=4.0, margin=0.2,
        loss_weight=500.0))
stage1_scheduler = dict(
    _delete_=True, type='CosineAnnealingLR', by_epoch=True, T_max=200,
    eta_min=0.01)
stage2_losses = dict(
    local=dict(
        type='mmxtkd.ClassMeanKDLoss', tau=2.0, reduction='mean',
        epoch_decay=0.951229424500714,  # exp(-0.05)
        loss_weight=1000.0))
stage2_optim_wrapper = dict(
    paramwise_cfg=dict(custom_keys={'student.backbone': dict(lr_mult=0.1)}))
