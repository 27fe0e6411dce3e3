# Random teacher: torchvision's DeepLabV3-ResNet-50, randomly initialised
# (seed 0).
_base_ = ['./deeplabv3-r50_seg.py']
teacher = dict(checkpoint=None, init_seed=0)
