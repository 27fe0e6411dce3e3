# Table 2b: segmentation (DeepLabV3-R50, COCO-VOC) teacher,
# inverted projection, L2 loss; Pix2Pix colourisation student. 1xb8, 200 ep.
_base_ = [
    './pix2pix_baseline.py',
    '../_base_/distillation/l2_deeplabv3-r50_seg_inverted.py'
]
model = dict(
    _base_.distill,
    teacher=dict(_base_.distill.teacher, **_base_.imagenet_from_gan))
