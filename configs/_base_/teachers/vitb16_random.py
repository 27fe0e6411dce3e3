# Random teacher: ViT-B/16 randomly initialised from a fixed seed, frozen.
_base_ = ['./vitb16_cls.py']
vitb16_random_teacher = dict(_base_.vitb16_cls_teacher, checkpoint=None,
                             init_seed=0)
vitb16_random_channels = _base_.vitb16_cls_channels
