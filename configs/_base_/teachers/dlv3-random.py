# Random teacher of the segmentation table: torchvision's DeepLabV3-ResNet-50
# randomly initialised (seed 0), frozen.
_base_ = ['./dlv3-seg.py']
dlv3_random_teacher = dict(_base_.dlv3_seg_teacher, checkpoint=None,
                           init_seed=0)
dlv3_random_channels = _base_.dlv3_seg_channels
