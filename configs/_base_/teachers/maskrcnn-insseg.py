# Instance-segmentation teacher: the ResNet-50 encoder of mmdet's Mask R-CNN
# (COCO). AiT's SwinV2-B links are dead; this is the checkpoint of mmdet's
# model zoo for the config below, given by path.
maskrcnn_insseg_teacher = dict(
    type='mmxtkd.FrozenTeacher',
    model='mmdet::mask_rcnn/mask-rcnn_r50_fpn_1x_coco.py',
    checkpoint='checkpoints/mask_rcnn_r50_fpn_1x_coco.pth')
maskrcnn_insseg_channels = 2048
