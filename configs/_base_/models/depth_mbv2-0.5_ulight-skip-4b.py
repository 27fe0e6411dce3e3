# The paper's `ULightDecoder_skip_4b`: four single-conv blocks.
_base_ = ['./depth_mbv2-0.5_decoder.py']
model = dict(
    student=dict(
        decode_head=dict(
            type='mmxtkd.LightSkipDepthDecoder', channels=(128, 64, 32, 32))))
