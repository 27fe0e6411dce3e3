# A foundation-model teacher (not in the papers): DINOv2 ViT-B/14,
# self-supervised on LVD-142M, read from the folder transformers stores it in
# (huggingface.co/facebook/dinov2-base: config.json, model.safetensors and
# preprocessor_config.json, in checkpoints/dinov2-base). Z_t: its normalised
# last patch tokens (class token dropped), 768 x H/14 x W/14; its input
# normalisation (preprocessor_config.json) is ImageNet's, as the students'.
dinov2_b_teacher = dict(
    type='mmxtkd.FrozenTeacher',
    model=dict(type='mmxtkd.TransformersFeatures',
               folder='checkpoints/dinov2-base', layer='layernorm'))
dinov2_b_channels = 768
