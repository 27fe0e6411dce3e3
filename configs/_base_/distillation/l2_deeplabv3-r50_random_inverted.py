# The same with torchvision's DeepLabV3-ResNet-50 randomly initialised
# (seed 0).
_base_ = ['./l2_deeplabv3-r50_seg_inverted.py']
distill = dict(teacher=dict(checkpoint=None, init_seed=0))
