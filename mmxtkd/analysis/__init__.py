"""Analyses of features: the task gap between a teacher and a student."""
from .task_gap import (RULE, explained_variance, linear_cka, probe_task_gap,
                       recommend, ridge_fit)

__all__ = [
    'RULE', 'explained_variance', 'linear_cka', 'probe_task_gap', 'recommend',
    'ridge_fit'
]
