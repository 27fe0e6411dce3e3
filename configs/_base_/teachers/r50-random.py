# Random teacher of the segmentation and translation tables: torchvision's
# ResNet-50 randomly initialised (seed 0), frozen.
_base_ = ['./r50-cls.py']
r50_random_teacher = dict(_base_.r50_cls_teacher, checkpoint=None,
                          init_seed=0)
r50_random_channels = _base_.r50_cls_channels
