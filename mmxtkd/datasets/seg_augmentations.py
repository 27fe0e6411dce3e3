"""mmseg's segmentation augmentations, computed bit for bit the same and
several times faster, from the same random draws.

At ADE20K's 512x512 crops, mmseg's ``PhotoMetricDistortion`` converts the
whole image to float32 and back for each of its steps, and ``RandomCrop``
with ``cat_max_ratio`` sorts the crop's labels (``np.unique``) for each of
up to ten tries: together about two thirds of a worker's time per image,
three times the decoding (``tools/analysis/benchmark_data.py --breakdown``).
Each step of the distortion maps every uint8 value to one uint8 value, so a
256-entry lookup table computed by mmseg's own arithmetic gives the same
image; the crop's label counts come from a histogram instead.
"""
from typing import Tuple

import cv2
import numpy as np
from mmcv.transforms.utils import cache_randomness
from mmseg.datasets.transforms import PhotoMetricDistortion, RandomCrop

from mmxtkd.registry import TRANSFORMS

_ALL_VALUES = np.arange(256, dtype=np.uint8)


@TRANSFORMS.register_module()
class LookupPhotoMetricDistortion(PhotoMetricDistortion):
    """mmseg's ``PhotoMetricDistortion`` (same arguments, same random draws,
    the same output bit for bit), each step on a uint8 image applied as a
    lookup table (on all three channels at once in HSV, the other two
    mapped to themselves). Images of other types take mmseg's arithmetic."""

    def convert(self, img: np.ndarray, alpha: float = 1,
                beta: float = 0) -> np.ndarray:
        if img.dtype != np.uint8:
            return super().convert(img, alpha, beta)
        return cv2.LUT(img, super().convert(_ALL_VALUES, alpha, beta))

    def _in_hsv(self, img: np.ndarray, channel: int,
                table: np.ndarray) -> np.ndarray:
        """``img`` (H, W, 3) BGR with one HSV channel mapped by ``table``
        (256,), as mmseg does it through ``mmcv.bgr2hsv`` / ``hsv2bgr``."""
        tables = np.repeat(_ALL_VALUES[:, None], 3, axis=1)
        tables[:, channel] = table
        hsv = cv2.cvtColor(img, cv2.COLOR_BGR2HSV)
        return cv2.cvtColor(cv2.LUT(hsv, tables[None]), cv2.COLOR_HSV2BGR)

    # mmseg's draws (numpy's global generator) in its order, below
    def saturation(self, img: np.ndarray) -> np.ndarray:
        if img.dtype != np.uint8:
            return super().saturation(img)
        if np.random.randint(2):
            alpha = np.random.uniform(self.saturation_lower,
                                      self.saturation_upper)
            img = self._in_hsv(img, 1,
                               super().convert(_ALL_VALUES, alpha=alpha))
        return img

    def hue(self, img: np.ndarray) -> np.ndarray:
        if img.dtype != np.uint8:
            return super().hue(img)
        if np.random.randint(2):
            delta = np.random.randint(-self.hue_delta, self.hue_delta)
            table = (_ALL_VALUES.astype(int) + delta) % 180
            img = self._in_hsv(img, 0, table.astype(np.uint8))
        return img


@TRANSFORMS.register_module()
class HistogramRandomCrop(RandomCrop):
    """mmseg's ``RandomCrop`` (same arguments, same random draws, the same
    crops), counting a candidate crop's labels for ``cat_max_ratio`` in a
    histogram (OpenCV's for uint8 maps, ``np.bincount`` for wider unsigned
    ones) rather than sorting them. Signed label maps are counted with
    ``np.unique``, as mmseg does."""

    def _random_bbox(self, img: np.ndarray) -> Tuple[int, int, int, int]:
        margin_h = max(img.shape[0] - self.crop_size[0], 0)
        margin_w = max(img.shape[1] - self.crop_size[1], 0)
        top = np.random.randint(0, margin_h + 1)
        left = np.random.randint(0, margin_w + 1)
        return top, top + self.crop_size[0], left, left + self.crop_size[1]

    def _class_counts(self, seg: np.ndarray) -> np.ndarray:
        """Pixels of each label present in ``seg``, ``ignore_index`` not
        counted."""
        if seg.dtype == np.uint8 and seg.size < 2**24:  # float32: exact
            counts = cv2.calcHist([seg], [0], None, [256], [0, 256])
            counts = counts.ravel().astype(np.int64)
        elif seg.dtype.kind == 'u':
            counts = np.bincount(seg.ravel())
        else:
            labels, counts = np.unique(seg, return_counts=True)
            return counts[labels != self.ignore_index]
        if self.ignore_index < counts.size:
            counts[self.ignore_index] = 0
        return counts[counts > 0]

    @cache_randomness
    def crop_bbox(self, results: dict) -> tuple:
        bbox = self._random_bbox(results['img'])
        if self.cat_max_ratio < 1.:
            for _ in range(10):  # mmseg's tries
                counts = self._class_counts(
                    self.crop(results['gt_seg_map'], bbox))
                if len(counts) > 1 and \
                        np.max(counts) / np.sum(counts) < self.cat_max_ratio:
                    break
                bbox = self._random_bbox(results['img'])
        return bbox
