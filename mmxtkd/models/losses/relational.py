"""REFILLED's embedding stage (Ye, Lu, Zhan, CVPR 2020): triplet relations."""
import torch
import torch.nn as nn
import torch.nn.functional as F

from mmxtkd.registry import MODELS
from .global_batch import gather_rows


def pairwise_distances(emb: torch.Tensor, eps: float = 1e-12) -> torch.Tensor:
    """(B, D) -> (B, B) Euclidean distances, differentiable at distance 0."""
    sq = emb.pow(2).sum(1)
    d2 = sq[:, None] + sq[None, :] - 2 * emb @ emb.t()
    return d2.clamp_min(eps).sqrt()


def triplet_logits(dist: torch.Tensor, tau: float) -> torch.Tensor:
    """(B, B) distances -> (B, B, B) logits of p_ijk.

    ``p_ijk = exp(-d_ij/tau) / (exp(-d_ij/tau) + exp(-d_ik/tau))
    = sigmoid((d_ik - d_ij) / tau)``: how much closer anchor i is to j than
    to k.
    """
    return (dist[:, None, :] - dist[:, :, None]) / tau


def bernoulli_kl(logit_t: torch.Tensor, logit_s: torch.Tensor) -> torch.Tensor:
    """KL(Bernoulli(sigmoid(logit_t)) || Bernoulli(sigmoid(logit_s))),
    element-wise, from the logits (stable at saturated probabilities)."""
    p_t = torch.sigmoid(logit_t)
    return (p_t * (F.logsigmoid(logit_t) - F.logsigmoid(logit_s)) +
            (1 - p_t) * (F.logsigmoid(-logit_t) - F.logsigmoid(-logit_s)))


@MODELS.register_module()
class RelationalTripletLoss(nn.Module):
    """KL between the teacher's and the student's stochastic triplet
    probabilities.

    Each (B, C, H, W) map is average-pooled to an embedding (B, C) (optionally
    L2-normalised), so student and teacher may have different channel counts
    and no projector is needed. For every triplet of distinct samples
    (i, j, k), the Bernoulli ``[p_ijk, 1 - p_ijk]`` of the teacher (target) and
    the student (pred) are compared by KL(teacher || student), averaged over
    the B (B-1) (B-2) triplets. B is the global batch: in a distributed run
    the embeddings of every process are gathered (with their gradients,
    :mod:`.global_batch`). Needs B >= 3.
    """

    def __init__(self, tau: float = 1.0, normalize: bool = True,
                 loss_weight: float = 1.0) -> None:
        super().__init__()
        self.tau = tau
        self.normalize = normalize
        self.loss_weight = loss_weight

    def _embedding(self, feat: torch.Tensor) -> torch.Tensor:
        """(B, C, H, W) -> (B, C): average-pooled, L2-normalised if asked."""
        emb = feat.mean((2, 3))
        return F.normalize(emb, dim=1) if self.normalize else emb

    def forward(self, pred: torch.Tensor,
                target: torch.Tensor) -> torch.Tensor:
        if target is None:
            raise ValueError('RelationalTripletLoss needs a teacher map')
        for what, x in (('pred', pred), ('target', target)):
            if x.dim() != 4:
                raise ValueError(f'RelationalTripletLoss: {what} must be a '
                                 f'(B, C, H, W) map, got {tuple(x.shape)}')
        if pred.shape[0] != target.shape[0]:
            raise ValueError(f'RelationalTripletLoss: batch sizes differ '
                             f'({pred.shape[0]} vs {target.shape[0]})')
        emb_s, emb_t = (gather_rows(self._embedding(x))
                        for x in (pred, target))
        b = emb_s.shape[0]
        if b < 3:
            raise ValueError('RelationalTripletLoss needs at least 3 samples '
                             'in the (global) batch to form triplets, got '
                             f'{b}: use batches of 3 or more and '
                             'train_dataloader.drop_last=True, or the last '
                             'batch of an epoch may be smaller')
        ls, lt = (triplet_logits(pairwise_distances(e), self.tau)
                  for e in (emb_s, emb_t))
        kl = bernoulli_kl(lt, ls)
        idx = torch.arange(b, device=pred.device)
        distinct = ((idx[:, None, None] != idx[None, :, None]) &
                    (idx[:, None, None] != idx[None, None, :]) &
                    (idx[None, :, None] != idx[None, None, :]))
        return self.loss_weight * kl[distinct].mean()
