"""Knowledge distillation of logits (Hinton, Vinyals, Dean, 2015): the
standard-KD row REFILLED's CIFAR-100 table compares with."""
from typing import Optional

import torch
import torch.nn as nn
import torch.nn.functional as F

from mmxtkd.registry import MODELS
from .utils import soft_target_kl


@MODELS.register_module()
class LogitKDLoss(nn.Module):
    """``tau^2 * KL(softmax(z_t / tau) || softmax(z_s / tau))``, averaged
    over the batch: ``target`` is the teacher's logits (B, K) (a
    ``FrozenTeacher`` whose ``feature`` is a whole classifier of the same
    classes, e.g. ``'student'`` of a distiller's checkpoint), the student's
    come from ``student_logits``; ``pred`` (the student's embedding) is
    unused.

    Args:
        tau: the temperature (4, as the KD baselines of the CIFAR-100
            tables are run).
        loss_weight: its weight beside the student's cross-entropy.
    """

    requires = ('logits', )

    def __init__(self, tau: float = 4.0, loss_weight: float = 1.0) -> None:
        super().__init__()
        self.tau, self.loss_weight = tau, loss_weight

    def forward(self, pred: torch.Tensor, target: Optional[torch.Tensor],
                logits: torch.Tensor) -> torch.Tensor:
        if target is None or target.dim() != 2:
            raise ValueError("LogitKDLoss needs the teacher's logits (B, K), "
                             'got ' + ('none' if target is None else
                                       f'shape {tuple(target.shape)}'))
        if target.shape != logits.shape:
            raise ValueError(f'LogitKDLoss: teacher logits '
                             f'{tuple(target.shape)} and student logits '
                             f'{tuple(logits.shape)} differ: standard KD '
                             'needs the same classes')
        p_t = F.softmax(target.float() / self.tau, dim=1)
        log_q = F.log_softmax(logits.float() / self.tau, dim=1)
        kl = soft_target_kl(p_t, log_q).mean()
        return self.loss_weight * self.tau ** 2 * kl
