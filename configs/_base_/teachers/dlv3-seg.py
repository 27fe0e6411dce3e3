# Segmentation teacher: torchvision's DeepLabV3-ResNet-50 trained on COCO's
# 20 Pascal VOC categories (deeplabv3_resnet50_coco-cd0a2569.pth, with its
# auxiliary head), loaded from torchvision's own file, unchanged. Z_t: the
# encoder output (backbone layer4), 2048 x H/8 x W/8.
dlv3_seg_teacher = dict(
    type='mmxtkd.FrozenTeacher',
    model=dict(
        type='mmxtkd.TorchvisionFeatures',
        name='deeplabv3_resnet50',
        node='backbone.layer4',
        num_classes=21,
        aux_loss=True),
    checkpoint='checkpoints/deeplabv3_resnet50_coco-cd0a2569.pth')
dlv3_seg_channels = 2048
