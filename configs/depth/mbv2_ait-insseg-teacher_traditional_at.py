# Attention transfer instead of FitNets.
_base_ = './mbv2_ait-insseg-teacher_traditional.py'
model = dict(
    distill_losses=dict(_delete_=True, at=dict(type='mmxtkd.ATLoss')))
