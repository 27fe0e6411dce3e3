"""NYUv2 depth evaluation as AiT / BTS do it, on top of mmseg's DepthMetric."""
from typing import Optional, Sequence

import torch
from mmseg.evaluation.metrics import DepthMetric

from mmxtkd.registry import METRICS

#: Eigen et al.'s crop of a 480x640 NYUv2 frame (rows 45:471, cols 41:601).
EIGEN_CROP = (45 / 480, 471 / 480, 41 / 640, 601 / 640)


@METRICS.register_module()
class NYUDepthMetric(DepthMetric):
    """d1-3, AbsRel, SqRel, RMS, RMSlog (+ log10, SILog), averaged per image.

    Differences from mmseg's ``DepthMetric``, following AiT's evaluation:
    predictions are clipped to ``[min_depth_eval, max_depth_eval]`` before the
    metrics, and ``crop_type='eigen'`` is Eigen's crop scaled to the image
    size (identical to mmseg's ``'nyu_crop'`` at 480x640, and meaningful for
    the smaller synthetic frames). Valid pixels: ``min < gt < max``.
    """

    def __init__(self,
                 min_depth_eval: float = 1e-3,
                 max_depth_eval: float = 10.0,
                 crop_type: Optional[str] = 'eigen',
                 **kwargs) -> None:
        if crop_type not in (None, 'eigen'):
            raise ValueError(
                f"crop_type must be None or 'eigen', got {crop_type!r}")
        super().__init__(
            min_depth_eval=min_depth_eval,
            max_depth_eval=max_depth_eval,
            crop_type=None,
            **kwargs)
        self.crop_type = crop_type

    def process(self, data_batch: dict, data_samples: Sequence[dict]) -> None:
        for sample in data_samples:
            pred = sample['pred_depth_map']['data']
            sample['pred_depth_map']['data'] = pred.clamp(
                self.min_depth_eval, self.max_depth_eval)
        super().process(data_batch, data_samples)

    def _get_eval_mask(self, gt_depth: torch.Tensor) -> torch.Tensor:
        mask = (gt_depth > self.min_depth_eval) & (
            gt_depth < self.max_depth_eval)
        if self.crop_type == 'eigen':
            h, w = gt_depth.shape[-2:]
            top, bottom, left, right = EIGEN_CROP
            crop = torch.zeros_like(mask)
            crop[..., round(top * h):round(bottom * h),
                 round(left * w):round(right * w)] = True
            mask &= crop
        return mask
