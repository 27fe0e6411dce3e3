# Teacher-free:
# spectral regularisation (eq. 6) of Z_s, r = 32; MobileNetV2-0.5 + Decoder.
_base_ = [
    '../_base_/models/depth_mbv2-0.5_decoder.py',
    '../_base_/datasets/nyu_depth_v2.py',
    '../_base_/schedules/depth_25ep.py',
    '../_base_/default_runtime.py',
]
model = dict(
    distill_losses=dict(
        spectral=dict(type='mmxtkd.SpectralRegLoss', rank=32)))
