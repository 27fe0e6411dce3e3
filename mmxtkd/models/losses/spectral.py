"""The paper's teacher-free spectral regularisation loss (eq. 6)."""
import math
from typing import Optional

import torch
import torch.nn as nn

from mmxtkd.registry import MODELS
from .global_batch import (gather_rows, global_count, sum_over_processes,
                           world_size)


def top_eigenvectors(gram: torch.Tensor, rank: int) -> torch.Tensor:
    """The eigenvectors of the ``rank`` largest eigenvalues of a symmetric
    (C, C) matrix, largest first, as a (C, rank) matrix."""
    return torch.linalg.eigh(gram).eigenvectors[:, -rank:].flip(-1)


@torch.no_grad()
def exact_top_right_singular_vectors(z: torch.Tensor,
                                     rank: int) -> torch.Tensor:
    """Top-``rank`` right singular vectors of ``z`` (N, C), as a (C, rank)
    matrix, from an eigendecomposition of the smaller Gram matrix in float64:
    ``Z^T Z`` (C, C), or ``Z Z^T`` (N, N) and ``V = Z^T U / sigma``. Directions
    of zero singular value (rank(Z) < rank) come back as zero columns, which
    leave ``Z V V^T`` the projection onto the others."""
    z64 = z.double()
    n, c = z64.shape
    if c <= n:
        v = top_eigenvectors(z64.t() @ z64, rank)
    else:
        vals, vecs = torch.linalg.eigh(z64 @ z64.t())
        u = vecs[:, -rank:].flip(-1)
        sigma = vals[-rank:].flip(-1).clamp_min(0).sqrt()
        tol = sigma.max() * max(n, c) * torch.finfo(torch.float64).eps
        v = torch.where(sigma > tol, z64.t() @ u / sigma.clamp_min(tol), 0)
    return v.to(z.dtype)


@torch.no_grad()
def top_right_singular_vectors(z: torch.Tensor, rank: int,
                               rows: Optional[int] = None,
                               oversample: int = 16, niter: int = 4,
                               seed: int = 0) -> torch.Tensor:
    """Top-``rank`` right singular vectors of ``Z`` (N, C), a (C, rank)
    matrix, by randomised subspace iteration (Halko et al. 2011) on the Gram
    matrix ``Z^T Z``.

    ``z`` (N_r, C) is this process's rows of ``Z`` and ``rows`` the global N
    (default: ``z``'s, one process): products with ``Z^T Z = sum_r Z_r^T Z_r``
    need one all-reduce of a (C, q) matrix per power iteration, with
    ``q = min(rank + oversample, N, C)``. The sketch spans
    ``(Z^T Z)^(niter + 1) Omega``; a Rayleigh-Ritz step on the all-reduced
    (q, q) matrix ``(Z B)^T (Z B)`` in float64 then rotates the orthonormal
    basis ``B`` onto the top directions. When ``q == min(N, C)`` the sketch
    spans the whole row space and the result is exact. Every factorisation
    is of a (C, q) or (q, q) matrix (thin QRs and one small eigh, no SVD),
    so on a GPU the solver calls are short. The sketch ``Omega`` comes from
    its own generator: the global random state is untouched.
    """
    c = z.shape[1]
    rows = z.shape[0] if rows is None else rows
    q = min(rank + oversample, rows, c)
    gen = torch.Generator(device=z.device).manual_seed(seed)
    y = torch.randn(c, q, generator=gen, device=z.device, dtype=z.dtype)

    def gram_times(m: torch.Tensor) -> torch.Tensor:
        return sum_over_processes(z.t() @ (z @ m))

    y = gram_times(y)
    for _ in range(niter):
        y = gram_times(torch.linalg.qr(y).Q)
    basis = torch.linalg.qr(y).Q                       # (C, q)
    projected = (z @ basis).double()                   # (N_r, q)
    w = top_eigenvectors(sum_over_processes(projected.t() @ projected), rank)
    return (basis.double() @ w).to(z.dtype)            # (C, rank)


def check_finite(z: torch.Tensor) -> None:
    """Refuse features holding NaN or Inf (a host synchronisation on a
    GPU)."""
    if not torch.isfinite(z).all():
        raise ValueError('SpectralRegLoss: the features contain NaN or Inf')


@MODELS.register_module()
class SpectralRegLoss(nn.Module):
    """Eq. 6: the energy of the features outside their top-``rank`` singular
    subspace, a teacher-free regulariser.

    The features are read as a matrix ``Z`` with one row per position: a map
    (B, C, H, W) as (B*H*W, C); transformer tokens (B, N, C) as
    (B*(N - num_extra_tokens), C), the leading class/distillation tokens
    dropped; an embedding (B, C) as itself. ``Z`` has singular values
    sigma_1 >= sigma_2 >= ... Eq. 6 sums
    ``sigma_i u_i v_i^T`` from ``i = r`` and the paper says ``r`` singular
    values are *preserved*: the sum's index counts from 0, so the top ``r``
    directions (sigma_1 .. sigma_r) are kept and suppression starts at
    sigma_{r+1}. ``Z_r = Z V V^T`` is the best rank-r approximation, with ``V``
    the top-r right singular vectors, computed without autograd:

    - ``reduction='rms'`` (default): ``||Z - Z_r||_F / sqrt(N)`` over the
      ``N`` rows of ``Z``, the root mean square over positions of the part
      of each feature vector outside the subspace, gradient
      ``(Z - Z_r) / (sqrt(N) ||Z - Z_r||_F)``. Eq. 6 writes the norm alone,
      whose value grows as ``sqrt(N)`` with the batch size and the
      resolution while its gradient always has unit norm; so "weighted 1:1
      with the task loss" would mean another balance at every batch size,
      crop and GPU count. Divided by ``sqrt(N)``, the same
      per-sample features give the same loss and the same gradient on the
      weights whatever the batch (a batch repeated twice changes nothing),
      as a mean task loss does;
    - ``reduction='norm'``: eq. 6 as written, ``||Z - Z_r||_F =
      sqrt(sum_{i>r} sigma_i^2)``, gradient ``(Z - Z_r) / ||Z - Z_r||_F``;
    - ``reduction='mean'``: ``||Z - Z_r||_F^2 / Z.numel()``, the
      regularisation term inside a mean-squared FitNets loss, gradient
      ``2 (Z - Z_r) / numel``.

    In a distributed run ``Z`` is the global batch's: the subspace comes
    from the Gram matrix ``Z^T Z`` summed over the processes (the sketch
    from the same sums) and
    the tail energy is summed over them before the norm, so every process
    computes the loss of the whole batch (:mod:`.global_batch`).

    Since ``(Z - Z_r) V = 0``, differentiating through ``Z - Z V V^T`` with
    ``V`` fixed gives exactly these gradients; nothing back-propagates through
    an SVD, so repeated singular values are harmless. Zero features, features
    of rank <= r (a tail below ``8 eps ||Z||_F``, rounding) and
    ``rank >= min(N, C)`` give a zero loss and gradient. Since the last
    would hold at every step when the rank is at least the channels or the
    batch's rows, the first call refuses it (and :meth:`check_channels`,
    which the distiller calls with the configured channels, at build time);
    a later batch of few rows (an epoch's last) gives 0.

    How ``V`` is found (``method``):

    - ``'exact'``: eigendecomposition of the smaller Gram matrix in float64
      (:func:`exact_top_right_singular_vectors`); eq. 6 to float precision.
    - ``'sketch'``: randomised subspace iteration
      (:func:`top_right_singular_vectors`), exact when
      ``rank + oversample >= min(N, C)``. Measured on 3600 x 1280 float32
      maps (the paper's depth student at batch 16;
      ``tools/analysis/spectral_accuracy.py``), with the defaults (oversample
      16, 4 power iterations), the loss as computed here against eq. 6 from
      float64 singular values: on decaying spectra (sigma_i = 0.9^i or 1/i)
      within 7e-8 relative for r <= 8 and 2.6e-6 for r = 32; on the flat
      spectrum of a Gaussian matrix, the worst case, within 7e-5 (r = 1),
      1.5e-4 (r = 2), 5.5e-4 (r = 8) and 2.2e-3 (r = 32). That is the
      sketch's subspace: the same subspace evaluated in float64, or the
      sketch run in float64, is as far off, while the exact path's loss is
      within 4e-8 (evaluating it in float32 adds no measurable error).
    - ``'auto'`` (default): exact when ``min(N, C) <= exact_max_dim``, where
      it costs a few milliseconds; otherwise the sketch (on that 3600 x 1280
      map: 0.2-0.8 s exact against 19-57 ms sketched on 2 CPU threads,
      13-16 ms against 1.3-2.9 ms on an H200).

    Args:
        rank: r, the number of singular directions kept.
        reduction: ``'rms'``, ``'norm'`` (eq. 6 as written) or ``'mean'``.
        method: ``'auto'``, ``'exact'`` or ``'sketch'``.
        exact_max_dim: the largest ``min(N, C)`` ``'auto'`` solves exactly.
        oversample, niter: the sketch's extra width and power iterations.
        num_extra_tokens: leading tokens of (B, N, C) inputs left out
            (1 for a ViT's class token).
        loss_weight: the loss is multiplied by it.
    """

    def __init__(self, rank: int = 2, reduction: str = 'rms',
                 method: str = 'auto', exact_max_dim: int = 256,
                 oversample: int = 16, niter: int = 4,
                 num_extra_tokens: int = 0,
                 loss_weight: float = 1.0) -> None:
        super().__init__()
        if rank < 1:
            raise ValueError(f'rank must be >= 1, got {rank}')
        if reduction not in ('rms', 'norm', 'mean'):
            raise ValueError("reduction must be 'rms', 'norm' or 'mean', "
                             f'got {reduction!r}')
        if method not in ('auto', 'exact', 'sketch'):
            raise ValueError("method must be 'auto', 'exact' or 'sketch', "
                             f'got {method!r}')
        self.rank = rank
        self.reduction = reduction
        self.method = method
        self.exact_max_dim = exact_max_dim
        self.oversample = oversample
        self.niter = niter
        self.num_extra_tokens = num_extra_tokens
        self.loss_weight = loss_weight
        self._first_call = True

    def check_channels(self, channels: int, key: str = '') -> None:
        """Refuse ``channels``-channel features (``key``: the config key
        to name), whose top-``rank`` subspace would be all of them."""
        if self.rank >= channels:
            raise ValueError(
                f'{key}SpectralRegLoss(rank={self.rank}) on {channels}-'
                'channel features keeps every direction: the loss would be 0 '
                f'at every step. Use a rank below {channels}.')

    def _subspace(self, z: torch.Tensor, rows: int) -> torch.Tensor:
        """``V`` (C, rank) of the global ``Z``: ``z`` is this process's
        (N_r, C) part, ``rows`` the global N."""
        c = z.shape[1]
        exact = self.method == 'exact' or (
            self.method == 'auto' and min(rows, c) <= self.exact_max_dim)
        if not exact:
            return top_right_singular_vectors(z, self.rank, rows,
                                              self.oversample, self.niter)
        if world_size() == 1:
            return exact_top_right_singular_vectors(z, self.rank)
        if c > rows:  # fewer rows than channels: gather them
            return exact_top_right_singular_vectors(gather_rows(z), self.rank)
        z64 = z.double()
        gram = sum_over_processes(z64.t() @ z64)
        return top_eigenvectors(gram, self.rank).to(z.dtype)

    def as_matrix(self, feat: torch.Tensor) -> torch.Tensor:
        """``Z``, one row per position: (B, C, H, W) maps, (B, N, C) tokens
        or (B, C) embeddings."""
        if feat.dim() == 4:
            return feat.permute(0, 2, 3, 1).reshape(-1, feat.shape[1])
        if feat.dim() == 3:
            return feat[:, self.num_extra_tokens:].reshape(-1, feat.shape[-1])
        if feat.dim() == 2:
            return feat
        raise ValueError('SpectralRegLoss expects a (B, C, H, W) map, (B, N, '
                         f'C) tokens or a (B, C) embedding, got shape '
                         f'{tuple(feat.shape)}')

    def forward(self, feat: torch.Tensor,
                target: Optional[torch.Tensor] = None) -> torch.Tensor:
        """``feat`` (B, C, H, W), (B, N, C) or (B, C) -> scalar; ``target``
        is ignored."""
        z = self.as_matrix(feat)
        if z.numel() == 0:
            raise ValueError('SpectralRegLoss: empty features '
                             f'{tuple(feat.shape)}')
        z = z.to(torch.promote_types(z.dtype, torch.float32))
        # Under mixed precision too, the subspace and the tail are computed
        # in float32 at least: the tail is a small difference of large
        # projections, which half precision would round away.
        with torch.autocast(z.device.type, enabled=False):
            return self.loss_weight * self._tail_loss(z)

    def _tail_loss(self, z: torch.Tensor) -> torch.Tensor:
        rows = global_count(z.shape[0], z.device)
        if self._first_call:
            self._first_call = False
            self.check_channels(z.shape[1])
            if self.rank >= rows:
                raise ValueError(
                    f'SpectralRegLoss(rank={self.rank}) on a batch of {rows} '
                    f'feature rows ({z.shape[1]} channels) keeps every '
                    'direction: the loss would be 0. Use a rank below the '
                    'rows (batch x positions), or a larger batch.')
        if self.rank >= min(rows, z.shape[1]):
            check_finite(z)
            tail = z - z.detach(
            )  # Z_r == Z: zero loss, gradient kept in graph
        else:
            # The solvers wait for the device to check their own result:
            # checking the features after them adds no second wait, where
            # before them it would stall the GPU until the forward is done
            # and leave it idle while the loss's kernels are launched.
            try:
                v = self._subspace(z.detach(), rows)
            except torch.linalg.LinAlgError:
                check_finite(z)
                raise
            check_finite(z)
            tail = z - (z @ v) @ v.t()
        energy = sum_over_processes(tail.pow(2).sum())
        if self.reduction == 'mean':
            loss = energy / (rows * z.shape[1])
        else:
            loss = energy.clamp_min(torch.finfo(energy.dtype).tiny).sqrt()
            if self.reduction == 'rms':
                loss = loss / math.sqrt(rows)
        # A tail at the rounding level of Z is no tail: its direction, which
        # the norm's gradient would follow, is noise.
        noise = (8 * torch.finfo(z.dtype).eps)**2 * sum_over_processes(
            z.detach().pow(2).sum())
        return torch.where(energy > noise, loss, energy * 0)
