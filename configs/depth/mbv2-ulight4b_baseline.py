# MobileNetV2-0.5 + ULightDecoder_skip_4b (four single-conv blocks) alone.
_base_ = './mbv2_baseline.py'
model = dict(
    student=dict(
        decode_head=dict(
            type='mmxtkd.LightSkipDepthDecoder', channels=(128, 64, 32, 32))))
