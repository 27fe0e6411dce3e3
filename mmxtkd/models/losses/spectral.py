"""The paper's teacher-free spectral regularisation loss (eq. 6)."""
from typing import Optional

import torch
import torch.nn as nn

from mmxtkd.registry import MODELS


@torch.no_grad()
def top_right_singular_vectors(z: torch.Tensor, rank: int,
                               oversample: int = 8,
                               niter: int = 2,
                               seed: int = 0) -> torch.Tensor:
    """Top-``rank`` right singular vectors of ``z`` (N, C), as a (C, rank) matrix.

    Randomised subspace iteration (Halko et al. 2011) on a sketch of width
    ``q = min(rank + oversample, N, C)``: matrix products with ``z``, two thin QRs
    and the SVD of a small (q, C) matrix. When ``q == min(N, C)`` the sketch
    spans the whole row space and the result is exact. The sketch is drawn
    from its own generator, so the global random state is untouched. No
    gradient flows through it.
    """
    n, c = z.shape
    q = min(rank + oversample, n, c)
    gen = torch.Generator(device=z.device).manual_seed(seed)
    y = z @ torch.randn(c, q, generator=gen, device=z.device, dtype=z.dtype)
    for _ in range(niter):
        y = torch.linalg.qr(y).Q
        y = z @ (z.t() @ y)
    basis = torch.linalg.qr(y).Q                       # (N, q)
    _, _, vh = torch.linalg.svd(basis.t() @ z, full_matrices=False)
    return vh[:rank].t()                               # (C, rank)


@MODELS.register_module()
class SpectralRegLoss(nn.Module):
    """Energy of the features outside their top-``rank`` singular subspace.

    The map (B, C, H, W) is read as ``Z`` (B*H*W, C), one row per position.
    With ``Z_r`` its best rank-r approximation (the top-r right singular
    vectors ``V``, computed without autograd, and ``Z_r = Z V V^T``):

    - ``reduction='mean'``: ``||Z - Z_r||_F^2 / Z.numel()``, the regularisation
      term of the FitNets decomposition; its gradient is ``2 (Z - Z_r) / numel``.
    - ``reduction='norm'``: ``||Z - Z_r||_F`` (eq. 6).

    Since ``(Z - Z_r) V = 0``, differentiating through ``Z - Z V V^T`` with ``V``
    held fixed gives exactly the tail energy's gradient; nothing back-propagates
    through an SVD, so repeated singular values are harmless. Zero features,
    features of rank < r and ``rank >= min(N, C)`` give a finite loss (0 in the
    last case).

    Args:
        rank: r, the number of singular directions kept.
        reduction: ``'mean'`` or ``'norm'``.
        oversample, niter: the randomised sketch's extra width and power
            iterations (see :func:`top_right_singular_vectors`).
        loss_weight: the loss is multiplied by it.
    """

    def __init__(self, rank: int = 2, reduction: str = 'mean',
                 oversample: int = 8, niter: int = 2,
                 loss_weight: float = 1.0) -> None:
        super().__init__()
        if rank < 1:
            raise ValueError(f'rank must be >= 1, got {rank}')
        if reduction not in ('mean', 'norm'):
            raise ValueError(
                f"reduction must be 'mean' or 'norm', got {reduction!r}")
        self.rank = rank
        self.reduction = reduction
        self.oversample = oversample
        self.niter = niter
        self.loss_weight = loss_weight

    def forward(self, feat: torch.Tensor,
                target: Optional[torch.Tensor] = None) -> torch.Tensor:
        """``feat`` (B, C, H, W) -> scalar; ``target`` is ignored."""
        if feat.dim() != 4:
            raise ValueError('SpectralRegLoss expects a (B, C, H, W) map, got '
                             f'shape {tuple(feat.shape)}')
        if feat.numel() == 0:
            raise ValueError('SpectralRegLoss: empty feature map '
                             f'{tuple(feat.shape)}')
        z = feat.permute(0, 2, 3, 1).reshape(-1, feat.shape[1])
        if not torch.isfinite(z).all():
            raise ValueError('SpectralRegLoss: the features contain NaN or Inf')
        compute_dtype = torch.promote_types(z.dtype, torch.float32)
        z = z.to(compute_dtype)
        if self.rank >= min(z.shape):
            tail = z - z.detach()  # Z_r == Z: zero loss, gradient kept in graph
        else:
            v = top_right_singular_vectors(z.detach(), self.rank,
                                           self.oversample, self.niter)
            tail = z - (z @ v) @ v.t()
        if self.reduction == 'mean':
            loss = tail.pow(2).sum() / tail.numel()
        else:
            loss = torch.linalg.vector_norm(tail)
        return self.loss_weight * loss
