"""Fashion-MNIST (Zalando Research: 70,000 real 28 x 28 grey product
photographs, 10 classes) read from its four idx ``.gz`` files, cut by
classes and subsampled per class: the real images of the cross-task study.
"""
import functools
import gzip
import os
import os.path as osp
from typing import Dict, Optional, Sequence, Tuple

import numpy as np
from mmpretrain.datasets import BaseDataset

from mmxtkd.registry import DATASETS

#: where Debian's package ``dataset-fashion-mnist`` installs the files
DEBIAN_FOLDER = '/usr/share/datasets/fashion-mnist'
#: split -> (images, labels), the names the files are published under
FILES: Dict[str, Tuple[str, str]] = {
    'train': ('train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz'),
    'test': ('t10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz'),
}
CLASSES = ('T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal',
           'Shirt', 'Sneaker', 'Bag', 'Ankle boot')
WHERE_TO_GET = (
    "Debian's package dataset-fashion-mnist installs them into "
    f'{DEBIAN_FOLDER} (apt install dataset-fashion-mnist); elsewhere, put '
    'the four files of github.com/zalandoresearch/fashion-mnist '
    '(data/fashion) into a folder and pass it as data_root')


def read_idx(path: str, ndim: int) -> np.ndarray:
    """The unsigned-byte array of an idx file (gzip-compressed): a magic
    number ``0x0000 08 <ndim>``, ``ndim`` big-endian int32 sizes, the
    bytes. A file that is not one is a ValueError naming it. Read-only,
    and decompressed once per process while the file stays the same (a
    study builds the data set for every run)."""
    stat = os.stat(path)
    return _read_idx(path, ndim, stat.st_size, stat.st_mtime_ns)


@functools.lru_cache(maxsize=8)
def _read_idx(path: str, ndim: int, size: int, mtime: int) -> np.ndarray:
    try:
        with gzip.open(path, 'rb') as f:
            raw = f.read()
    except (OSError, EOFError) as err:  # not gzip, or cut short
        raise ValueError(f'{path} is not a readable gzip file ({err})') \
            from err
    header = 4 + 4 * ndim
    if len(raw) < header or raw[:4] != bytes((0, 0, 8, ndim)):
        raise ValueError(f'{path} is not an idx file of unsigned bytes with '
                         f'{ndim} dimension(s) (magic {raw[:4].hex()})')
    shape = tuple(int(s) for s in np.frombuffer(raw[4:header], '>i4'))
    if len(raw) - header != int(np.prod(shape)):
        raise ValueError(f'{path} holds {len(raw) - header} bytes after its '
                         f'header, its shape {shape} needs '
                         f'{int(np.prod(shape))}')
    return np.frombuffer(raw, np.uint8, offset=header).reshape(shape)


def select(labels: np.ndarray, classes: Sequence[int],
           per_class: Optional[int], seed: int) -> np.ndarray:
    """Indices of ``classes``' samples, in file order; with ``per_class``,
    that many of each, drawn without replacement by ``seed`` (the same
    arguments always give the same indices)."""
    rng = np.random.default_rng(seed)
    chosen = []
    for c in classes:
        of_class = np.flatnonzero(labels == c)
        if per_class is not None:
            if per_class > len(of_class):
                raise ValueError(f'class {c} ({CLASSES[c]}) has '
                                 f'{len(of_class)} images, not {per_class}')
            of_class = rng.choice(of_class, per_class, replace=False)
        chosen.append(of_class)
    return np.sort(np.concatenate(chosen))


@DATASETS.register_module()
class FashionMNIST(BaseDataset):
    """Fashion-MNIST's ``split`` holding ``classes`` alone, relabelled
    ``0 .. len(classes) - 1`` in the order given, with ``per_class``
    images of each (all when None). Samples are ``img`` (28, 28) uint8 and
    ``gt_label``, as mmpretrain's MNIST gives them.

    Args:
        data_root: the folder of the four ``.gz`` idx files; by default
            where Debian's ``dataset-fashion-mnist`` puts them.
        split: ``'train'`` (60,000) or ``'test'`` (10,000).
        classes: class indices 0-9, e.g. ``(5, 6, 7, 8, 9)``.
        per_class: images per class, drawn by ``seed``; None for all.
        seed: the subsample's seed.
        **kwargs: as mmpretrain's ``BaseDataset`` (``pipeline``, ...).
    """

    def __init__(self, data_root: str = DEBIAN_FOLDER, split: str = 'train',
                 classes: Sequence[int] = tuple(range(10)),
                 per_class: Optional[int] = None, seed: int = 0,
                 **kwargs) -> None:
        if split not in FILES:
            raise ValueError(f"split must be one of {sorted(FILES)}, not "
                             f'{split!r}')
        classes = tuple(int(c) for c in classes)
        if not classes or len(set(classes)) != len(classes) or not all(
                0 <= c < len(CLASSES) for c in classes):
            raise ValueError(f'classes must be distinct indices 0-9, not '
                             f'{classes}')
        if per_class is not None and per_class < 1:
            raise ValueError(f'per_class must be positive, not {per_class}')
        self.split, self.class_ids = split, classes
        self.per_class, self.seed = per_class, seed
        kwargs.setdefault('metainfo',
                          dict(classes=[CLASSES[c] for c in classes]))
        super().__init__(ann_file='', data_root=data_root,
                         data_prefix=dict(root=data_root),
                         test_mode=split == 'test', **kwargs)

    def load_data_list(self) -> list:
        root = self.data_prefix['root']
        paths = [osp.join(root, name) for name in FILES[self.split]]
        missing = [p for p in paths if not osp.isfile(p)]
        if missing:
            raise FileNotFoundError(
                f"Fashion-MNIST's {self.split} files are not in {root}: "
                f"{', '.join(osp.basename(p) for p in missing)} missing. "
                + WHERE_TO_GET)
        images, labels = read_idx(paths[0], 3), read_idx(paths[1], 1)
        if len(images) != len(labels):
            raise ValueError(f'{paths[0]} holds {len(images)} images, '
                             f'{paths[1]} {len(labels)} labels')
        if labels.size and labels.max() >= len(CLASSES):
            raise ValueError(f'{paths[1]} has a label {labels.max()}, '
                             'outside 0-9')
        relabel = {c: i for i, c in enumerate(self.class_ids)}
        return [dict(img=images[i], gt_label=relabel[int(labels[i])])
                for i in select(labels, self.class_ids, self.per_class,
                                self.seed)]
