# Teacher-free: spectral regularisation of Z_s as eq. 6 writes it (the
# Frobenius norm of the part outside the top r = 2 singular directions, weighted
# 1:1 with the task loss); table 3's best r. MobileNetV2-0.5 + Decoder.
_base_ = './mbv2_baseline.py'
model = dict(
    distill_losses=dict(
        spectral=dict(type='mmxtkd.SpectralRegLoss', rank=2, reduction='norm')))
