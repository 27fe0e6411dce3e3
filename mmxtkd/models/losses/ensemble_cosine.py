"""The cosine loss of the projector ensemble (Chen et al., NeurIPS 2022)."""
import torch
import torch.nn as nn
import torch.nn.functional as F

from mmxtkd.registry import MODELS
from .utils import check_pair


@MODELS.register_module()
class EnsembleCosineLoss(nn.Module):
    """Mean over positions of ``1 - cos(pred, target)`` along channels."""

    def __init__(self, eps: float = 1e-8, loss_weight: float = 1.0) -> None:
        super().__init__()
        self.eps = eps
        self.loss_weight = loss_weight

    def forward(self, pred: torch.Tensor,
                target: torch.Tensor) -> torch.Tensor:
        check_pair(pred, target, type(self).__name__)
        cos = F.cosine_similarity(pred, target, dim=1, eps=self.eps)
        return self.loss_weight * (1 - cos).mean()
