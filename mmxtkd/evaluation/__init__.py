"""Metrics where the OpenMMLab ones are not enough."""
from .depth_metric import NYUDepthMetric
from .fid_from_file import TransFIDFromFile, inception_from_file
from .translation_psnr import TransPSNR

__all__ = [
    'NYUDepthMetric', 'TransFIDFromFile', 'inception_from_file', 'TransPSNR'
]
