# Teacher-free: spectral regularisation of Z_s (eq. 6: the part outside the
# top r = 2 singular directions), as a root mean square over the positions of
# the global batch so that its weight, 1:1 with the task loss, means the same
# at every batch size and crop (eq. 6's raw norm: reduction='norm'); table 3's
# best r. MobileNetV2-0.5 + Decoder.
_base_ = './mbv2_baseline.py'
model = dict(
    distill_losses=dict(
        spectral=dict(type='mmxtkd.SpectralRegLoss', rank=2, reduction='rms')))
