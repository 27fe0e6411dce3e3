"""Metrics where the OpenMMLab ones are not enough. The translation
metrics on mmagic are ``mmxtkd.evaluation.editing`` (the ``editing``
extra)."""
from .depth_metric import NYUDepthMetric

__all__ = ['NYUDepthMetric']
