# Teacher-free spectral regularisation (eq. 6, r = 2) on the synthetic demo,
# as the root mean square over positions; eq. 6's raw norm and the
# mean-squared form:
#   --cfg-options model.distill_losses.spectral.reduction=norm  (or =mean)
_base_ = './mbv2_baseline.py'
model = dict(
    distill_losses=dict(
        spectral=dict(type='mmxtkd.SpectralRegLoss', rank=2, reduction='rms')))
