"""CUB-200-2011 cut by classes, for REFILLED's cross-task setting: a teacher
trained on one half of the 200 species, the student on the other."""
from typing import Tuple

from mmpretrain.datasets import CUB
from mmpretrain.datasets.categories import CUB_CATEGORIES

from mmxtkd.registry import DATASETS


@DATASETS.register_module()
class CUBClassSplit(CUB):
    """mmpretrain's ``CUB`` (its layout and train / test split) holding the
    classes ``class_range = (start, end)`` alone (CUB's class ids 1-200 as
    0-based indices, ``end`` excluded), relabelled ``0 .. end - start - 1``;
    the class names are those of the range.

    Args:
        data_root: CUB_200_2011 as distributed (``images.txt``,
            ``image_class_labels.txt``, ``train_test_split.txt``,
            ``images/``).
        class_range: e.g. ``(0, 100)`` for the teacher's half and
            ``(100, 200)`` for the student's.
        **kwargs: as ``CUB`` (``split``, ``pipeline``, ...).
    """

    def __init__(self, data_root: str, class_range: Tuple[int, int],
                 **kwargs) -> None:
        start, end = (int(c) for c in class_range)
        if not 0 <= start < end <= len(CUB_CATEGORIES):
            raise ValueError(
                f'class_range {tuple(class_range)} is not a '
                f'range of CUB\'s classes 0-{len(CUB_CATEGORIES)}')
        self.class_range = (start, end)
        kwargs.setdefault('metainfo', dict(classes=CUB_CATEGORIES[start:end]))
        super().__init__(data_root, **kwargs)

    def load_data_list(self) -> list:
        start, end = self.class_range
        data = [dict(info, gt_label=info['gt_label'] - start)
                for info in super().load_data_list()
                if start <= info['gt_label'] < end]
        if not data:
            raise ValueError(f'{self.data_root} holds no {self.split} image '
                             f'of the classes {start}-{end - 1}')
        return data
