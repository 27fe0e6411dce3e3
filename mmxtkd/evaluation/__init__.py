"""Metrics where the OpenMMLab ones are not enough."""
from .depth_metric import NYUDepthMetric

__all__ = ['NYUDepthMetric']
