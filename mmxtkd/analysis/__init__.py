"""Analyses of features: the task gap between a teacher and a student, and
section 3.4's split of a projected loss into knowledge transfer and
regularisation."""
from .decomposition import loss_decomposition, numerical_rank
from .task_gap import (RULE, explained_variance, linear_cka, probe_task_gap,
                       recommend, ridge_fit)

__all__ = [
    'RULE', 'explained_variance', 'linear_cka', 'probe_task_gap', 'recommend',
    'ridge_fit', 'loss_decomposition', 'numerical_rank'
]
