# PKT instead of FitNets.
_base_ = './mbv2_ait-insseg-teacher_inverted.py'
model = dict(
    distill_losses=dict(_delete_=True, pkt=dict(type='mmxtkd.PKTLoss')))
# PKTLoss relates the samples of a batch: it needs two or more in each
train_dataloader = dict(drop_last=True)
