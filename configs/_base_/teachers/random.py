# Random teacher of the depth tables: ViT-B/16 randomly initialised from a
# fixed seed, frozen.
_base_ = ['./vitb-cls.py']
random_teacher = dict(_base_.vitb_cls_teacher, checkpoint=None, init_seed=0)
random_channels = _base_.vitb_cls_channels
