"""Depth maps loaded with the checks mmseg leaves out."""
import numpy as np
from mmengine import fileio
from mmseg.datasets.transforms import LoadDepthAnnotation
from mmseg.utils import datafrombytes

from mmxtkd.registry import TRANSFORMS


@TRANSFORMS.register_module()
class LoadCheckedDepthAnnotation(LoadDepthAnnotation):
    """mmseg's ``LoadDepthAnnotation``, refusing a depth file that does not
    follow the data set's convention; for use right after
    ``LoadImageFromFile``.

    A file must decode, hold one channel of ``dtype`` (NYUv2 stores 16-bit
    millimetres: an 8-bit PNG among them would load as 0 - 0.26 m and train
    without a warning), have its image's size (else batches fail far
    from the file, or a batch of one trains on misaligned depth) and hold a
    valid (non-zero) pixel: a map of zeros has no depth to learn from, and
    a data set of them would train the distillation terms alone, with a
    task loss of 0 and an rc of 0. Each error names the file (and the
    image). A random crop of a valid map may still hold no valid pixel:
    that image then adds nothing to the batch's SILog loss (a batch of such
    crops gives a task loss of 0 for that step, not NaN).

    Args:
        dtype: the integer type of the data set's depth files.
        **kwargs: as ``LoadDepthAnnotation`` (``depth_rescale_factor`` ...).
    """

    def __init__(self, dtype: str = 'uint16', **kwargs) -> None:
        super().__init__(**kwargs)
        self.dtype = np.dtype(dtype)

    def transform(self, results: dict) -> dict:
        path = results['depth_map_path']
        depth = datafrombytes(fileio.get(path, self.backend_args),
                              backend=self.decode_backend)
        if depth is None:
            raise ValueError(f'depth map {path} cannot be decoded: is the '
                             'file corrupt?')
        if depth.dtype != self.dtype or depth.ndim != 2:
            raise ValueError(
                f'depth map {path} holds {depth.ndim}-D {depth.dtype} data; '
                f'this data set stores one channel of {self.dtype} '
                f'(scaled by {self.depth_rescale_factor} to metres). Was it '
                'saved with another bit depth?')
        if not depth.any():
            raise ValueError(
                f'depth map {path} (image {results.get("img_path")}) has no '
                'valid pixel: every value is 0, the "no measurement" value. '
                'Was it written before its depth was filled in? Convert the '
                'frame again or drop it from the file list.')
        image = results['img'].shape[:2]
        if depth.shape != image:
            raise ValueError(
                f'depth map {path} is {depth.shape[1]}x{depth.shape[0]} but '
                f'its image {results.get("img_path")} is {image[1]}x'
                f'{image[0]}: they must be the same size')
        if self.to_float32:
            depth = depth.astype(np.float32)
        results['gt_depth_map'] = depth * self.depth_rescale_factor
        results['seg_fields'].append('gt_depth_map')
        results['depth_rescale_factor'] = self.depth_rescale_factor
        return results
