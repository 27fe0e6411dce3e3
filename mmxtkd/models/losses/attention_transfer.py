"""Attention transfer (Zagoruyko & Komodakis, ICLR 2017)."""
import torch
import torch.nn as nn
import torch.nn.functional as F

from mmxtkd.registry import MODELS
from .utils import check_pair


def attention_map(feat: torch.Tensor, p: float) -> torch.Tensor:
    """(B, C, H, W) -> (B, H*W): ``normalize_L2(mean_c f^p)`` per sample."""
    return F.normalize(feat.pow(p).mean(1).flatten(1), dim=1)


@MODELS.register_module()
class ATLoss(nn.Module):
    """Mean of ``(a(pred) - a(target))^2`` over the batch and positions.

    The two maps need the same batch and spatial size; channels may differ.

    Magnitude: ``a`` has unit norm and non-negative entries, so a sample's
    squared difference sums to ``2 - 2 cos(a_s, a_t)``, at most 2, and the
    mean over its ``H*W`` positions is at most ``2 / (H*W)``: 0.0089 on the
    15x15 map of the paper's 480x480 depth crops (7.7e-4 measured with
    random weights, ``configs/depth/README.md``), against a SILog task
    loss of about 4.6. Zagoruyko & Komodakis' code adds ``beta / 2`` times this
    same mean with ``beta = 1000`` (``loss_weight=500`` here); the configs
    weight it 1:1, as the supplementary says for every distillation loss,
    so the term is small beside the task loss and shrinks as 1/(H*W) with
    the resolution.
    """

    def __init__(self, p: float = 2.0, loss_weight: float = 1.0) -> None:
        super().__init__()
        self.p = p
        self.loss_weight = loss_weight

    def forward(self, pred: torch.Tensor,
                target: torch.Tensor) -> torch.Tensor:
        check_pair(pred, target, type(self).__name__, same_channels=False)
        diff = attention_map(pred, self.p) - attention_map(target, self.p)
        return self.loss_weight * diff.pow(2).mean()
