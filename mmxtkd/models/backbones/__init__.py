"""Backbones that the OpenMMLab packages lack, for REFILLED's settings."""
from .mobilenet_v1 import MobileNetV1
from .wide_resnet_cifar import WideResNetCIFAR

__all__ = ['MobileNetV1', 'WideResNetCIFAR']
