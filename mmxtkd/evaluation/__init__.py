"""Metrics where the OpenMMLab ones are not enough."""
