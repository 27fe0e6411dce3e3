"""Scale-invariant log loss for depth (Eigen et al. 2014; suppl. eq. 7)."""
from typing import Optional

import torch
import torch.nn as nn

from mmxtkd.registry import MODELS


@MODELS.register_module()
class SILogLoss(nn.Module):
    """``scale * sqrt(mean(g^2) - variance_focus * mean(g)^2)``,
    ``g = log d - log d*``.

    Over the valid pixels (``target > min_depth``, finite): an image
    without one adds nothing, and a batch without any gives 0 and no
    gradient (a random crop of a sparse map can hold none;
    ``LoadCheckedDepthAnnotation`` refuses a file of zeros). The defaults
    are the form the depth literature uses (BTS, AdaBins' ``var(g) + 0.15
    mean(g)^2``, AiT): ``variance_focus=0.85``, ``scale=10``, all valid
    pixels of the batch together. The supplementary's printed eq. 7 has
    ``+ 0.15`` where the
    population-variance form gives ``- 0.85``. mmseg's ``SiLogLoss`` is
    ``variance_focus=0.5, scale=1, per_image=True``.

    Args:
        variance_focus: lambda; 1 makes the loss fully scale-invariant.
        scale: the factor in front of the square root.
        per_image: one loss per image, averaged; otherwise one over the batch.
        min_depth: target values at or below it are invalid.
        loss_weight: the loss is multiplied by it.
        loss_name: key in the decode head's loss dict.
    """

    def __init__(self, variance_focus: float = 0.85, scale: float = 10.0,
                 per_image: bool = False, min_depth: float = 1e-3,
                 loss_weight: float = 1.0,
                 loss_name: str = 'loss_silog') -> None:
        super().__init__()
        self.variance_focus = variance_focus
        self.scale = scale
        self.per_image = per_image
        self.min_depth = min_depth
        self.loss_weight = loss_weight
        self._loss_name = loss_name

    @property
    def loss_name(self) -> str:
        return self._loss_name

    def forward(self,
                pred: torch.Tensor,
                target: torch.Tensor,
                weight: Optional[torch.Tensor] = None,
                **kwargs) -> torch.Tensor:
        """``pred``, ``target``: (B, 1, H, W) depth maps in metres."""
        if pred.shape != target.shape:
            raise ValueError(f'SILogLoss: pred {tuple(pred.shape)} and target '
                             f'{tuple(target.shape)} differ')
        if pred.numel() == 0:
            raise ValueError('SILogLoss: empty batch')
        valid = (target > self.min_depth) & torch.isfinite(target)
        g = torch.log(pred.clamp_min(self.min_depth)) - torch.log(
            target.clamp_min(self.min_depth))
        g = torch.where(valid, g, torch.zeros_like(g))
        dims = tuple(range(1, g.dim())) if self.per_image else tuple(
            range(g.dim()))
        count = valid.sum(dims).clamp_min(1)
        mean_g = g.sum(dims) / count
        mean_g2 = g.pow(2).sum(dims) / count
        d = (mean_g2 - self.variance_focus * mean_g.pow(2)).clamp_min(1e-12)
        loss = self.scale * d.sqrt()
        has_valid = valid.sum(dims) > 0
        loss = torch.where(has_valid, loss, torch.zeros_like(loss)).mean()
        return self.loss_weight * loss
