# Classification teacher of the segmentation table: torchvision's ResNet-50
# (ImageNet-1k), loaded from torchvision's own file, unchanged. Z_t: layer4,
# 2048 x H/32 x W/32, resized to the student's map.
r50_cls_teacher = dict(
    type='mmxtkd.FrozenTeacher',
    model=dict(type='mmxtkd.TorchvisionFeatures', name='resnet50',
               node='layer4'),
    checkpoint='checkpoints/resnet50-0676ba61.pth')
r50_cls_channels = 2048
