# swinv2b_spectral-r2.py with r = 32.
_base_ = './swinv2b_spectral-r2.py'
model = dict(distill_losses=dict(spectral=dict(rank=32)))
