"""Segmentation scenes composed of real Fashion-MNIST photographs: items
placed on a larger dark canvas, each pixel labelled with its item's class or
background. The dense variant of the Fashion-MNIST study."""
from typing import Optional, Sequence

import numpy as np
from mmengine.dataset import BaseDataset

from mmxtkd.registry import DATASETS
from .fashion_mnist import CLASSES, DEBIAN_FOLDER, FashionMNIST


@DATASETS.register_module()
class FashionScenes(BaseDataset):
    """``scenes`` canvases of ``2 * cell`` pixels a side, each a 2 x 2 grid
    of cells that holds an item (a 28 x 28 photograph of one of
    ``classes``) with probability ``fill`` (at least one a scene), at an
    offset drawn in its cell. Labels: 0 background, ``k + 1`` a pixel of
    an item of the k-th class given where the photograph is brighter than
    ``threshold``, else background. Scene ``i`` is drawn by ``(seed, i)``
    alone, from the items of ``split`` (or of its per-class subsample).

    Samples are ``img`` (H, W) uint8 and ``gt_seg_map`` (H, W) uint8 with
    the keys mmseg's ``PackSegInputs`` and ``IoUMetric`` read.

    Args:
        data_root: the folder of Fashion-MNIST's idx files.
        split: ``'train'`` or ``'test'``.
        classes: the items' classes, in label order.
        scenes: how many scenes.
        per_class: the items drawn from, a class (None: all of the split).
        seed: draws the items' subsample and the scenes.
        cell: a cell's side (at least 28).
        fill: the probability that a cell holds an item.
        threshold: the grey level (0-255) above which an item's pixel is
            labelled as the item.
    """

    def __init__(self, data_root: str = DEBIAN_FOLDER, split: str = 'train',
                 classes: Sequence[int] = (5, 6, 7, 8, 9), scenes: int = 100,
                 per_class: Optional[int] = None, seed: int = 0,
                 cell: int = 32, fill: float = 0.75, threshold: int = 30,
                 **kwargs) -> None:
        if scenes < 1:
            raise ValueError(f'scenes must be positive, not {scenes}')
        if cell < 28:
            raise ValueError(f'a cell holds a 28 x 28 item: cell must be at '
                             f'least 28, not {cell}')
        self.items = FashionMNIST(data_root, split, classes, per_class, seed)
        self.num_scenes, self.seed = scenes, seed
        self.cell, self.fill, self.threshold = cell, fill, threshold
        kwargs.setdefault('metainfo', dict(
            classes=['background'] + [CLASSES[c] for c in classes]))
        super().__init__(ann_file='', data_root=data_root,
                         test_mode=split == 'test', **kwargs)

    def load_data_list(self) -> list:
        return [self.compose(i) for i in range(self.num_scenes)]

    def compose(self, index: int) -> dict:
        """Scene ``index``: the canvas, its labels and its shapes."""
        rng = np.random.default_rng((self.seed, index))
        side, n = 2 * self.cell, len(self.items)
        image = np.zeros((side, side), np.uint8)
        labels = np.zeros((side, side), np.uint8)
        filled = rng.random(4) < self.fill
        if not filled.any():
            filled[rng.integers(4)] = True
        for cell in np.flatnonzero(filled):
            item = self.items.get_data_info(int(rng.integers(n)))
            top = (cell // 2) * self.cell + rng.integers(self.cell - 27)
            left = (cell % 2) * self.cell + rng.integers(self.cell - 27)
            window = (slice(top, top + 28), slice(left, left + 28))
            image[window] = item['img']
            labels[window] = np.where(item['img'] > self.threshold,
                                      item['gt_label'] + 1, 0)
        return dict(img=image, gt_seg_map=labels, seg_fields=['gt_seg_map'],
                    reduce_zero_label=False, ori_shape=image.shape,
                    img_shape=image.shape, sample_idx=index)
