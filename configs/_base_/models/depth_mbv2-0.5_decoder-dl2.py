# The paper's `Decoder_dl2`: second conv of each block depthwise.
_base_ = ['./depth_mbv2-0.5_decoder.py']
model = dict(student=dict(decode_head=dict(type='mmxtkd.SkipDepthDecoderDW')))
