"""FitNets (Romero et al., ICLR 2015): regression of one map onto another."""
import torch
import torch.nn as nn
import torch.nn.functional as F

from mmxtkd.registry import MODELS
from .utils import check_pair


@MODELS.register_module()
class FitNetsLoss(nn.Module):
    """Mean squared error of two (B, C, H, W) maps, times ``loss_weight``."""

    def __init__(self, loss_weight: float = 1.0) -> None:
        super().__init__()
        self.loss_weight = loss_weight

    def forward(self, pred: torch.Tensor,
                target: torch.Tensor) -> torch.Tensor:
        check_pair(pred, target, type(self).__name__)
        return self.loss_weight * F.mse_loss(pred, target)
