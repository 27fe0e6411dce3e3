# Teacher-free: spectral regularisation (eq. 6) of Z_s keeping its top r = 2
# singular directions (table 3's best r); MobileNetV2-0.5 + Decoder.
_base_ = './mbv2_baseline.py'
model = dict(
    distill_losses=dict(spectral=dict(type='mmxtkd.SpectralRegLoss', rank=2)))
