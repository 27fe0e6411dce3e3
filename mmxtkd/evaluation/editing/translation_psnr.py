"""PSNR of translated images, as mmagic's translation models return them."""
from typing import Sequence

from mmagic.evaluation.metrics import PSNR

from mmxtkd.registry import METRICS


@METRICS.register_module()
class TransPSNR(PSNR):
    """mmagic's ``PSNR`` for ``Pix2Pix`` / ``CycleGAN`` outputs: their
    samples hold the translated image (``fake_<domain>``, BGR in [0, 255])
    beside the ground truth (``img_<domain>``), where ``PSNR`` looks for it
    under ``output`` (and fails with ``KeyError: 'output'``).

    Args:
        gt_key: the ground truth's field, e.g. ``'img_map'``.
        pred_key: the translation's field, e.g. ``'fake_map'``.
        **kwargs: ``PSNR``'s (``crop_border``, ``convert_to``, ``prefix``).
    """

    def process(self, data_batch: Sequence[dict],
                data_samples: Sequence[dict]) -> None:
        super().process(
            data_batch,
            [dict(sample, output=sample) for sample in data_samples])
