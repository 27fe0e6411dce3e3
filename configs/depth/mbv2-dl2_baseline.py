# MobileNetV2-0.5 + Decoder_dl2 (second conv of each block depthwise) alone.
_base_ = './mbv2_baseline.py'
model = dict(student=dict(decode_head=dict(type='mmxtkd.SkipDepthDecoderDW')))
