# Random teacher: torchvision's ResNet-50, randomly initialised (seed 0).
_base_ = ['./r50_cls.py']
teacher = dict(checkpoint=None, init_seed=0)
