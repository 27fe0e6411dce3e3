# Classification teacher from timm's hub (not in the paper): ConvNeXt-T
# trained on ImageNet-1k, timm's 'convnext_tiny.fb_in1k', loaded from the
# file the hub stores, unchanged (huggingface.co/timm/convnext_tiny.fb_in1k:
# model.safetensors, saved as checkpoints/convnext_tiny.fb_in1k.safetensors).
# Z_t: its last stage, 768 x H/32 x W/32; its input normalisation is
# ImageNet's, as the students'.
convnext_t_cls_teacher = dict(
    type='mmxtkd.FrozenTeacher',
    model=dict(type='mmxtkd.TimmFeatures', name='convnext_tiny', out_index=3),
    checkpoint='checkpoints/convnext_tiny.fb_in1k.safetensors')
convnext_t_cls_channels = 768
