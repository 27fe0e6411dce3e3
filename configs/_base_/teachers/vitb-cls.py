# Classification teacher: ViT-B/16 trained on ImageNet-1k (the paper uses
# torchvision's weights). Convert them once:
#   python tools/model_converters/vit_torchvision_to_mmpretrain.py \
#       vit_b_16-c867db91.pth checkpoints/vit-b16_in1k_torchvision.pth
# The encoder map is the last block's patch tokens as a (768, H/16, W/16) map.
vitb_cls_teacher = dict(
    type='mmxtkd.FrozenTeacher',
    model=dict(
        type='mmpretrain.VisionTransformer',
        arch='b',
        img_size=224,
        patch_size=16,
        out_type='featmap',
        final_norm=True),
    checkpoint='checkpoints/vit-b16_in1k_torchvision.pth')
vitb_cls_channels = 768
