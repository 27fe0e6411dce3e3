# Teacher-free: the spectral loss of eq. 6 on the SwinV2-B student's Z_s,
# r = 2 (table 3's best), weighted 1:1 with the task loss; root mean square
# over positions, as mbv2_spectral-r2.py.
_base_ = './swinv2b_baseline.py'
model = dict(
    distill_losses=dict(
        spectral=dict(type='mmxtkd.SpectralRegLoss', rank=2, reduction='rms')))
