"""Probabilistic knowledge transfer (Passalis & Tefas, ECCV 2018)."""
import torch
import torch.nn as nn
import torch.nn.functional as F

from mmxtkd.registry import MODELS
from .global_batch import gather_rows
from .utils import check_pair


def cosine_affinity(feat: torch.Tensor) -> torch.Tensor:
    """(B, ...) -> (B, B) conditional probabilities from cosine similarity."""
    x = F.normalize(feat.flatten(1), dim=1)
    sim = (x @ x.t() + 1) / 2
    return sim / sim.sum(1, keepdim=True)


@MODELS.register_module()
class PKTLoss(nn.Module):
    """KL(teacher || student) of the batch's cosine-affinity distributions.

    Mean over the B x B entries of ``P_t log((P_t + eps) / (P_s + eps))``,
    as Passalis & Tefas' code computes it; ``target`` is the teacher side.
    Channels may differ between the maps. B is the global batch: in a
    distributed run the features of every process are gathered (with their
    gradients, :mod:`.global_batch`), so 8 GPUs with 2 samples each relate
    the same 16 samples as one GPU with 16; each process then receives the
    B flattened maps (B x C*H*W values: 4.6M for the depth configs' global
    batch of 16 at 1280 x 15 x 15), so on a large map pool it before PKT.
    Needs B >= 2 (a batch of one is an error: its loss would be 0).

    Magnitude: each row of ``P`` sums to 1, so the mean over B x B entries
    is the mean row KL divided by B: the term shrinks as 1/B with the
    (global) batch, as in the original code; RepDistiller's PKT runs weight
    it by 3e4. The configs weight it 1:1 with the task loss, as the
    supplementary says for every loss: 2.3e-4 against a SILog of 4.6 at
    the paper's depth sizes with random weights (``configs/depth/README.md``).
    """

    def __init__(self, eps: float = 1e-7, loss_weight: float = 1.0) -> None:
        super().__init__()
        self.eps = eps
        self.loss_weight = loss_weight

    def forward(self, pred: torch.Tensor,
                target: torch.Tensor) -> torch.Tensor:
        check_pair(pred, target, type(self).__name__, same_channels=False)
        pred, target = gather_rows(pred), gather_rows(target)
        if pred.shape[0] < 2:
            # one sample's affinity to itself is 1 for both: the loss would
            # be exactly 0, and training would silently go undistilled
            raise ValueError(
                'PKTLoss relates the samples of a batch and needs at least 2 '
                f'in the (global) batch, got {pred.shape[0]}: use batches of '
                '2 or more and train_dataloader.drop_last=True')
        p_s = cosine_affinity(pred)
        p_t = cosine_affinity(target)
        kl = p_t * torch.log((p_t + self.eps) / (p_s + self.eps))
        return self.loss_weight * kl.mean()
