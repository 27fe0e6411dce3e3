"""REFILLED (Ye, Lu, Zhan, "Distilling Cross-Task Knowledge via Relationship
Matching", CVPR 2020): the losses of its two stages, on labelled embeddings.

Stage 1 (:class:`TripletProbabilityLoss`) matches the teacher's and the
student's stochastic triplet probabilities on triplets the student's own
embedding makes hard; stage 2 (:class:`ClassMeanKDLoss`) distils the
teacher's nearest-class-mean classifier over the classes of the batch into
the student's logits. Both see the global batch of a distributed run.
"""
from typing import Optional, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmengine.logging import MessageHub

from mmxtkd.registry import MODELS
from .degenerate_batches import DegenerateBatches
from .global_batch import gather_rows, global_count, sum_over_processes
from .relational import bernoulli_kl, pairwise_distances
from .utils import soft_target_kl

Triplets = Tuple[torch.Tensor, torch.Tensor, torch.Tensor]


def pooled_embedding(feat: torch.Tensor, name: str) -> torch.Tensor:
    """(B, C) or (B, C, H, W) (average-pooled) -> (B, C) float."""
    if feat.dim() == 4:
        feat = feat.mean((2, 3))
    if feat.dim() != 2:
        raise ValueError(f'{name}: an embedding must be (B, C) or a (B, C, H, '
                         f'W) map to pool, got {tuple(feat.shape)}')
    return feat.float()


def unit_embedding(feat: torch.Tensor, name: str) -> torch.Tensor:
    """(B, C) or (B, C, H, W) (average-pooled) -> (B, C) of unit L2 norm."""
    return F.normalize(pooled_embedding(feat, name), dim=1)


def _same_class(labels: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
    """(B, B) masks: same class, and same class without the diagonal (the
    neighbours of each anchor)."""
    same = labels[:, None] == labels[None, :]
    return same, same & ~torch.eye(len(labels), dtype=torch.bool,
                                   device=labels.device)


def semi_hard_triplets(dist: torch.Tensor, labels: torch.Tensor,
                       margin: float) -> Triplets:
    """Every (anchor i, neighbour j, impostor k) with ``labels[i] ==
    labels[j]``, ``i != j``, ``labels[k] != labels[i]`` and ``d_ij < d_ik <
    d_ij + margin`` (``dist`` (B, B)), in (i, j, k) order."""
    same, neighbour = _same_class(labels)
    gap = dist[:, None, :] - dist[:, :, None]  # [i, j, k] = d_ik - d_ij
    valid = (neighbour[:, :, None] & ~same[:, None, :] & (gap > 0) &
             (gap < margin))
    return tuple(valid.nonzero(as_tuple=True))


def nearest_impostor_triplets(dist: torch.Tensor,
                              labels: torch.Tensor) -> Triplets:
    """One triplet per ordered same-class pair (i, j), i != j: the impostor
    k nearest to i among those farther than j, else the farthest impostor
    (REFILLED's original mining rule)."""
    same, neighbour = _same_class(labels)
    i, j = neighbour.nonzero(as_tuple=True)
    d_ik = dist[i]  # (P, B): each pair's anchor to every sample
    impostor = ~same[i]
    farther = impostor & (d_ik > dist[i, j][:, None])
    inf = torch.finfo(dist.dtype).max
    nearest_farther = torch.where(farther, d_ik, inf).argmin(1)
    farthest = torch.where(impostor, d_ik, -inf).argmax(1)
    k = torch.where(farther.any(1), nearest_farther, farthest)
    keep = impostor.any(1)  # a pair with no impostor in the batch has none
    return i[keep], j[keep], k[keep]


def _triplet_gaps(emb: torch.Tensor, triplets: Triplets,
                  eps: float = 1e-12) -> torch.Tensor:
    """``d_ik - d_ij`` of each triplet (T,), Euclidean, in float64, read
    off the (B, B) distance matrix: its gradient is the same from run to
    run (a backward through ``emb[i]`` row gathers sums in no fixed order,
    and a training run then drifts apart from its own repeat)."""
    i, j, k = triplets
    dist = pairwise_distances(emb.double(), eps)
    return dist[i, k] - dist[i, j]


@MODELS.register_module()
class TripletProbabilityLoss(nn.Module):
    """REFILLED's stage 1: KL(Bernoulli(p_T) || Bernoulli(p_S)) averaged over
    the triplets mined from the student's embedding and the labels, with
    ``p_ijk = sigmoid((d_ik - d_ij) / tau)`` on L2-normalised embeddings.

    Args:
        tau: REFILLED's tau1 (4 in the authors' code).
        margin: of the semi-hard rule (0.2).
        mining: ``'semi_hard'``, every triplet with ``d_ij < d_ik < d_ij +
            margin`` (the authors' current code, through
            pytorch-metric-learning); ``'nearest_impostor'``, the original
            code's rule (:func:`nearest_impostor_triplets`).
        loss_weight: the authors' code multiplies by 1000 a mean over the
            2 entries of each Bernoulli: ``loss_weight=500`` here.

    ``pred`` and ``target`` are the student's and teacher's embeddings
    (B, C_s), (B, C_t) (maps are average-pooled). A batch with no triplet
    (one class, or none semi-hard) gives 0; such batches are counted
    (:class:`~.degenerate_batches.DegenerateBatches`: a first batch under 3
    samples, or an epoch of them only, is an error).
    """

    requires = ('labels', )

    def __init__(self, tau: float = 4.0, margin: float = 0.2,
                 mining: str = 'semi_hard', loss_weight: float = 1.0) -> None:
        super().__init__()
        if mining not in ('semi_hard', 'nearest_impostor'):
            raise ValueError("mining must be 'semi_hard' or "
                             f"'nearest_impostor', not {mining!r}")
        self.tau, self.margin, self.mining = tau, margin, mining
        self.loss_weight = loss_weight
        self.degenerate_batches = DegenerateBatches(
            type(self).__name__, 'two samples of a class and one of another',
            minimum=3)

    def mine(self, emb: torch.Tensor, labels: torch.Tensor) -> Triplets:
        """The (i, j, k) index tensors of the triplets of an embedding."""
        dist = torch.cdist(emb, emb)
        if self.mining == 'semi_hard':
            return semi_hard_triplets(dist, labels, self.margin)
        return nearest_impostor_triplets(dist, labels)

    def forward(self, pred: torch.Tensor, target: Optional[torch.Tensor],
                labels: torch.Tensor) -> torch.Tensor:
        name = type(self).__name__
        if target is None:
            raise ValueError(f"{name} needs the teacher's embedding")
        if not len(pred) == len(target) == len(labels):
            raise ValueError(f'{name}: {len(pred)} student embeddings, '
                             f'{len(target)} teacher embeddings and '
                             f'{len(labels)} labels')
        emb_s = gather_rows(unit_embedding(pred, name))
        emb_t = gather_rows(unit_embedding(target, name))
        labels = gather_rows(labels)
        with torch.no_grad():
            triplets = self.mine(emb_s, labels)
        self.degenerate_batches.record(len(labels), len(triplets[0]) == 0)
        if len(triplets[0]) == 0:
            return pred.sum() * 0
        logit_s = _triplet_gaps(emb_s, triplets) / self.tau
        logit_t = _triplet_gaps(emb_t, triplets) / self.tau
        return self.loss_weight * bernoulli_kl(logit_t, logit_s).mean().float()


@MODELS.register_module()
class ClassMeanKDLoss(nn.Module):
    """REFILLED's stage 2: ``KL(p_T(y|x) || softmax(f_S(x) / tau))`` over the
    classes present in the batch, with the teacher's class-centre classifier
    ``p_T`` in one of its two published forms (``teacher_probabilities``):

    - ``'poster'``: the paper's nearest class mean,
      ``softmax_c(-||phi_T(x) - p_c||^2 / tau)``;
    - ``'code'``: the authors' code (both of its 2020 versions),
      ``softmax_c(phi_T(x) . p_c / ||p_c|| / tau)``, an inner product of the
      raw teacher embedding with the L2-normalised centres. On the same
      embeddings its targets are far flatter than the poster's.

    Args:
        tau: REFILLED's tau2 (2 in the authors' code).
        teacher_probabilities: ``'poster'`` or ``'code'``, as above.
        centres: ``'batch'``, ``p_c`` the mean teacher embedding of the
            batch's samples of class c (``diag(1 / Y^T 1) Y^T phi_T(X)``);
            ``'dataset'``, the means over the whole training set, set once
            before training (:class:`~mmxtkd.engine.TeacherClassCentresHook`
            fills :attr:`class_centres`).
        num_classes: the student's classes (needed with ``'dataset'``).
        reduction: ``'batchmean'``, the KL summed over classes and averaged
            over samples (the current code); ``'mean'``, averaged over
            samples and classes as ``nn.KLDivLoss()`` did in the original
            code (with its ``loss_weight`` 1000).
        epoch_decay: the weight is ``loss_weight * epoch_decay ** epoch``
            (the original code decays by ``exp(-0.05)`` each epoch); None:
            constant.
        loss_weight: lambda.

    ``target`` is the teacher's embedding (B, C_t) (a map is pooled), as it
    is: not normalised (unit embeddings would put every squared distance in
    [0, 4] and flatten ``p_T`` towards uniform at tau = 2, which the
    student's logits then copy); ``pred`` (the student's embedding) is
    unused. A batch of one class gives 0; such batches are counted as
    :class:`TripletProbabilityLoss`'s are (a first batch of one sample, or
    an epoch of them only, is an error).
    """

    requires = ('labels', 'logits')

    def __init__(self, tau: float = 2.0, centres: str = 'batch',
                 teacher_probabilities: str = 'poster',
                 num_classes: Optional[int] = None,
                 reduction: str = 'batchmean',
                 epoch_decay: Optional[float] = None,
                 loss_weight: float = 1.0) -> None:
        super().__init__()
        if centres not in ('batch', 'dataset'):
            raise ValueError("centres must be 'batch' or 'dataset', not "
                             f'{centres!r}')
        if reduction not in ('batchmean', 'mean'):
            raise ValueError("reduction must be 'batchmean' or 'mean', not "
                             f'{reduction!r}')
        if teacher_probabilities not in ('poster', 'code'):
            raise ValueError("teacher_probabilities must be 'poster' or "
                             f"'code', not {teacher_probabilities!r}")
        self.teacher_probabilities = teacher_probabilities
        if centres == 'dataset' and num_classes is None:
            raise ValueError("centres='dataset' needs num_classes")
        self.tau, self.centres, self.reduction = tau, centres, reduction
        self.epoch_decay, self.loss_weight = epoch_decay, loss_weight
        self.num_classes = num_classes
        self.degenerate_batches = DegenerateBatches(
            type(self).__name__, 'two classes', minimum=2)
        #: (num_classes, C_t) teacher class means over the training set
        self.register_buffer('class_centres', torch.zeros(0), persistent=True)

    def _load_from_state_dict(self, state_dict, prefix, *args, **kwargs):
        # the centres' shape is known once computed: take the saved one
        saved = state_dict.get(prefix + 'class_centres')
        if saved is not None:
            self.class_centres = saved.new_empty(saved.shape)
        super()._load_from_state_dict(state_dict, prefix, *args, **kwargs)

    def weight(self) -> float:
        """lambda at the current epoch (mmengine's message hub)."""
        if self.epoch_decay is None:
            return self.loss_weight
        epoch = MessageHub.get_current_instance().get_info('epoch', 0)
        return self.loss_weight * self.epoch_decay ** epoch

    def _centres(self, emb_t: torch.Tensor, labels: torch.Tensor,
                 present: torch.Tensor) -> torch.Tensor:
        """(C_b, C_t) centres of the present classes."""
        if self.centres == 'dataset':
            if self.class_centres.numel() == 0:
                raise RuntimeError(
                    "ClassMeanKDLoss(centres='dataset') has no class centres:"
                    ' add TeacherClassCentresHook to custom_hooks, which '
                    "computes them with the teacher before training")
            return self.class_centres[present].to(emb_t)
        onehot = (labels[:, None] == present[None, :]).to(emb_t)  # (B, C_b)
        return (onehot.t() @ emb_t) / onehot.sum(0)[:, None]

    def forward(self, pred: torch.Tensor, target: Optional[torch.Tensor],
                labels: torch.Tensor, logits: torch.Tensor) -> torch.Tensor:
        name = type(self).__name__
        if target is None:
            raise ValueError(f"{name} needs the teacher's embedding")
        if not len(target) == len(labels) == len(logits):
            raise ValueError(f'{name}: {len(target)} teacher embeddings, '
                             f'{len(labels)} labels and {len(logits)} logits')
        if self.num_classes is not None and logits.shape[1] != \
                self.num_classes:
            raise ValueError(f'{name}: num_classes = {self.num_classes}, but '
                             f'the logits have {logits.shape[1]} classes')
        emb_t = pooled_embedding(target, name)
        # the classes and centres of the global batch; each process its rows
        all_labels = gather_rows(labels)
        present = torch.unique(all_labels)
        self.degenerate_batches.record(len(all_labels), len(present) < 2)
        centres = self._centres(gather_rows(emb_t), all_labels, present)
        if self.teacher_probabilities == 'poster':
            scores = -torch.cdist(emb_t, centres).pow(2)
        else:
            scores = emb_t @ F.normalize(centres, dim=1).t()
        p_t = F.softmax(scores / self.tau, dim=1)
        # the present classes' logits by a product with their one-hot
        # columns: a backward that sums in a fixed order (column gathers
        # do not), so that a run repeats exactly
        select = F.one_hot(present, logits.shape[1]).t().to(torch.float32)
        log_q = F.log_softmax(logits.float() @ select / self.tau, dim=1)
        kl = soft_target_kl(p_t, log_q).sum()
        count = global_count(len(labels), logits.device)
        if self.reduction == 'mean':
            count *= len(present)
        return self.weight() * sum_over_processes(kl) / count
