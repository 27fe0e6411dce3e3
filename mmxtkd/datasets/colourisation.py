"""Colourisation pairs made in the pipeline: a colour image's grayscale copy
as the input, the image itself as the target."""
import cv2
import numpy as np
from mmcv.transforms import BaseTransform

from mmxtkd.registry import TRANSFORMS


@TRANSFORMS.register_module()
class GrayscaleCopy(BaseTransform):
    """``results[out_key]`` = the luma (ITU-R BT.601, as OpenCV) of the
    colour image ``results[key]`` (H, W, 3) uint8, repeated on 3 channels so
    that the generator and the teachers take it as they take colour.

    An image that is not colour (one channel, or three equal channels) is an
    error naming its file: a colourisation target must have colour.

    Args:
        key: the colour image, e.g. ``'img_photo'`` after mmagic's
            ``LoadPairedImageFromFile(domain_a='photo', ...)``.
        out_key: where the gray copy goes, e.g. ``'img_gray'``.
        channel_order: of the loaded image, ``'bgr'`` (mmagic's default) or
            ``'rgb'``.
        tolerance: the largest difference between channels (0-255) for
            which an image counts as gray (JPEG noise).
    """

    def __init__(self, key: str, out_key: str, channel_order: str = 'bgr',
                 tolerance: int = 2) -> None:
        if channel_order not in ('bgr', 'rgb'):
            raise ValueError(f"channel_order must be 'bgr' or 'rgb', not "
                             f'{channel_order!r}')
        self.key, self.out_key = key, out_key
        self.channel_order = channel_order
        self.tolerance = tolerance

    def transform(self, results: dict) -> dict:
        img = results[self.key]
        path = results.get(f'{self.key}_path', '<unknown file>')
        if img.ndim != 3 or img.shape[2] != 3:
            raise ValueError(f'{path}: {self.key} has shape {img.shape}; '
                             'colourisation needs a (H, W, 3) colour image '
                             "(load it with color_type='color')")
        img = np.ascontiguousarray(img)
        c0, c1, c2 = cv2.split(img)
        spread = max(cv2.absdiff(c0, c1).max(), cv2.absdiff(c1, c2).max())
        if spread <= self.tolerance:
            raise ValueError(f'{path}: {self.key} is grayscale (its channels '
                             f'differ by at most {spread}); colourisation '
                             'needs colour targets')
        code = (cv2.COLOR_BGR2GRAY if self.channel_order == 'bgr' else
                cv2.COLOR_RGB2GRAY)
        results[self.out_key] = cv2.cvtColor(cv2.cvtColor(img, code),
                                             cv2.COLOR_GRAY2BGR)
        return results

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(key={self.key!r}, out_key='
                f'{self.out_key!r}, channel_order={self.channel_order!r})')
