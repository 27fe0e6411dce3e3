"""Bringing a teacher map to the student's grid without dropping positions."""
from typing import Tuple

import torch
import torch.nn.functional as F


def resize_map(feat: torch.Tensor, size: Tuple[int, int]) -> torch.Tensor:
    """A map (B, C, h, w) resized to ``size`` (H, W), per axis: area-averaged
    where the axis shrinks, bilinear (``align_corners=False``) where it grows.

    Shrinking averages every input position into the output cell whose bin
    holds it (``adaptive_avg_pool2d``: output cell ``i`` of an axis of ``n``
    inputs and ``m`` outputs averages inputs ``floor(i n / m)`` to
    ``ceil((i + 1) n / m) - 1``; an integer factor gives the block mean, one
    output cell the whole map's mean), so no teacher position is dropped, as
    a bilinear sample of a much larger map would. An axis that grows is
    interpolated as before; when one axis shrinks and the other grows, the
    shrinking one is pooled first.
    """
    h, w = feat.shape[-2:]
    out_h, out_w = (int(s) for s in size)
    if (h, w) == (out_h, out_w):
        return feat
    pooled = (min(h, out_h), min(w, out_w))
    if pooled != (h, w):
        feat = F.adaptive_avg_pool2d(feat, pooled)
    if pooled != (out_h, out_w):
        feat = F.interpolate(feat, size=(out_h, out_w), mode='bilinear',
                             align_corners=False)
    return feat


def align_to_student(teacher_feat: torch.Tensor,
                     student_feat: torch.Tensor) -> torch.Tensor:
    """The teacher map (B, C_t, h, w) on the student map's grid
    (B, C_s, H, W) (:func:`resize_map`); for a student embedding (B, C_s)
    (a pooled output, a neck's), the teacher's embedding (B, C_t): its map
    averaged over all positions (one output cell), or its own (B, C_t)
    output as it is. An error naming both shapes when they cannot be
    aligned."""
    same_batch = len(teacher_feat) == len(student_feat)
    if student_feat.dim() == 2 and teacher_feat.dim() in (2, 4) and \
            same_batch:
        return (teacher_feat if teacher_feat.dim() == 2 else
                teacher_feat.mean((2, 3)))
    if teacher_feat.dim() != 4 or student_feat.dim() != 4 or not same_batch:
        raise ValueError(
            f'the teacher map {tuple(teacher_feat.shape)} cannot be aligned '
            f'to the student map {tuple(student_feat.shape)}: both must be '
            '(B, C, H, W) maps of the same batch, or the student\'s an '
            'embedding (B, C) (a teacher cut after its pooling, or returning '
            'tokens, needs a node before it)')
    return resize_map(teacher_feat, student_feat.shape[-2:])
