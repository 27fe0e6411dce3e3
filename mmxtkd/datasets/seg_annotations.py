"""Semantic-segmentation label maps loaded with the checks mmseg leaves out."""
import mmcv
import numpy as np
from mmengine import fileio
from mmseg.datasets.transforms import LoadAnnotations

from mmxtkd.registry import TRANSFORMS


@TRANSFORMS.register_module()
class LoadCheckedSegAnnotations(LoadAnnotations):
    """mmseg's ``LoadAnnotations``, then checks that the label map fits its
    image; for use right after ``LoadImageFromFile``.

    mmseg would resize a label map of another size with the image's scale
    factor, and count or crash on labels outside the classes, far from the
    file at fault. Here each of these is an error naming the label file (and
    its image): a missing or unreadable file, a map that is not (H, W) of
    the image's size, a label outside ``[0, num_classes)`` that is not
    ``ignore_index`` (after ``reduce_zero_label`` and ``label_map``), and a
    16-bit file with labels above 255, which mmseg's 8-bit read would wrap
    (300 -> 44: a valid class of ADE20K, trained silently).

    Args:
        num_classes: classes of the data set (150 for ADE20K).
        ignore_index: the label that is not scored (mmseg's 255).
    """

    def __init__(self, num_classes: int, ignore_index: int = 255,
                 **kwargs) -> None:
        super().__init__(**kwargs)
        self.num_classes = num_classes
        self.ignore_index = ignore_index

    def _load_seg_map(self, results: dict) -> None:
        path, img_path = results['seg_map_path'], results.get('img_path')
        try:
            self._check_wide_labels(path, img_path)
            super()._load_seg_map(results)
        except FileNotFoundError as e:
            raise FileNotFoundError(
                f'annotation {path} of image {img_path} is missing') from e
        except OSError as e:  # the image decoder's: a corrupt file
            raise ValueError(f'annotation {path} of image {img_path} cannot '
                             f'be read as a label map: {e}') from e
        seg = results['gt_seg_map']
        # the image as read (a test pipeline resizes it before this step)
        img_shape = results.get('ori_shape')
        if seg.ndim != 2:
            raise ValueError(
                f'annotation {path} has shape {seg.shape}: a label map is one '
                'channel of class indices (H, W), not a colour image')
        if img_shape is not None and seg.shape != tuple(img_shape):
            raise ValueError(
                f'annotation {path} is {seg.shape[0]}x{seg.shape[1]} but its '
                f'image {img_path} is {img_shape[0]}x{img_shape[1]}')
        bad = np.unique(seg[(seg >= self.num_classes)
                            & (seg != self.ignore_index)])
        if bad.size:
            raise ValueError(
                f'annotation {path} holds labels {bad.tolist()} outside '
                f'[0, {self.num_classes}) and not the ignore index '
                f'{self.ignore_index} (after reduce_zero_label='
                f"{results.get('reduce_zero_label')})")

    def _check_wide_labels(self, path: str, img_path: str) -> None:
        """Refuse a label file whose values do not fit in 8 bits. An 8-bit
        PNG (its header's bit depth) is not decoded twice."""
        data = fileio.get(path, backend_args=self.backend_args)
        if data[:8] == b'\x89PNG\r\n\x1a\n' and len(data) > 24 and \
                data[24] <= 8:
            return
        seg = mmcv.imfrombytes(data, flag='unchanged',
                               backend=self.imdecode_backend)
        if seg is None or seg.max(initial=0) <= 255:
            return
        wide = np.unique(seg[seg > 255])
        raise ValueError(
            f'annotation {path} of image {img_path} is a {seg.dtype} map '
            f'with labels above 255 ({wide[:5].tolist()}'
            f'{" ..." if wide.size > 5 else ""}, up to {int(wide[-1])}): '
            'mmseg reads label maps as 8-bit, where they would wrap '
            f'({int(wide[0])} -> {int(wide[0]) % 256}). Write the labels as '
            'an 8-bit PNG of class indices (classes < 255, 255 ignored).')

    def __repr__(self) -> str:
        return (super().__repr__()[:-1] + f', num_classes={self.num_classes}, '
                f'ignore_index={self.ignore_index})')
