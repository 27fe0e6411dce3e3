# Random teacher: ViT-B/16 randomly initialised from a fixed seed, frozen.
_base_ = ['./vitb16_cls.py']
teacher = dict(checkpoint=None, init_seed=0)
