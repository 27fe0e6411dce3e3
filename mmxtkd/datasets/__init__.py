"""Data sets: NYUv2 (AiT / BTS layout) and its synthetic stand-in."""
from .nyu_depth_v2 import NYUDepthV2Dataset
from .synthetic_depth import make_synthetic_nyu

__all__ = ['NYUDepthV2Dataset', 'make_synthetic_nyu']
