# PKT instead of FitNets.
_base_ = './r50_vitb-cls-teacher_traditional.py'
model = dict(
    distill_losses=dict(_delete_=True, pkt=dict(type='mmxtkd.PKTLoss')))
