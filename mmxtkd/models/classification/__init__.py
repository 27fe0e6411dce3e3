"""The classification task's models: backbones that mmpretrain lacks, for
REFILLED's settings."""
from .mobilenet_v1 import MobileNetV1
from .wide_resnet_cifar import WideResNetCIFAR

__all__ = ['MobileNetV1', 'WideResNetCIFAR']
