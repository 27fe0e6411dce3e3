# The same with torchvision's ResNet-50 randomly initialised (seed 0).
_base_ = ['./l2_r50_cls_inverted.py']
distill = dict(teacher=dict(checkpoint=None, init_seed=0))
