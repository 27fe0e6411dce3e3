# Keypoint-detection teacher of the satellite-to-map tables: the ResNet-50 of
# torchvision's Keypoint R-CNN (COCO person keypoints,
# keypointrcnn_resnet50_fpn_coco-fc266e95.pth), loaded from torchvision's own
# file, unchanged. The images enter its backbone body directly (the detector's
# own transform resizes to 800 px); its batch norms are frozen with eps 0, as
# torchvision builds them for these weights. Z_t: layer4, 2048 x H/32 x W/32.
krcnn_kpt_teacher = dict(
    type='mmxtkd.FrozenTeacher',
    model=dict(
        type='mmxtkd.TorchvisionFeatures',
        name='keypointrcnn_resnet50_fpn',
        entry='backbone.body',
        node='layer4',
        frozen_bn_eps=0.0),
    checkpoint='checkpoints/keypointrcnn_resnet50_fpn_coco-fc266e95.pth')
krcnn_kpt_channels = 2048
