"""Unpaired image folders (CycleGAN's layout) whose test split is paired."""
import os
import os.path as osp
import re
from typing import List

import cv2
from mmagic.datasets import UnpairedImageDataset
from mmagic.datasets.unpaired_image_dataset import IMG_EXTENSIONS

from mmxtkd.registry import DATASETS

_SIDE_SUFFIX = re.compile(r'_[AB]$')
IMG_EXTENSIONS_LOWER = tuple({e.lower() for e in IMG_EXTENSIONS})


def pair_name(path: str) -> str:
    """'testA/12_A.png' -> '12': the name two paired files share."""
    return _SIDE_SUFFIX.sub('', osp.splitext(osp.basename(path))[0])


@DATASETS.register_module()
class UnpairedTranslationDataset(UnpairedImageDataset):
    """mmagic's ``UnpairedImageDataset`` (``data_root/{train,test}{A,B}``:
    training draws B at random for each A), with the checks a paired metric
    needs: in test mode A and B are paired by name (``12_A.png`` with
    ``12_B.png``, or the same name), so that PSNR compares each translated
    image with its own ground truth. A missing or empty side is an error
    naming the folder.

    Args:
        data_root: the folder holding ``trainA``, ``trainB``, ``testA``,
            ``testB``.
        paired_test: require the test pairs (default); False for truly
            unpaired test sets (distribution metrics only).
        **kwargs: ``UnpairedImageDataset``'s (``pipeline``, ``test_mode``,
            ``domain_a``, ``domain_b``).
    """

    def __init__(self, data_root: str, *args, paired_test: bool = True,
                 **kwargs) -> None:
        self.paired_test = paired_test
        super().__init__(data_root, *args, **kwargs)

    def scan_folder(self, path: str) -> List[str]:
        """The image files under ``path``; an error if there are none."""
        if not osp.isdir(path):
            problem = 'is missing'
        else:
            images = [self.file_backend.join_path(path, name) for name in
                      self.file_backend.list_dir_or_file(
                          path, list_dir=False, suffix=IMG_EXTENSIONS,
                          recursive=True)]
            if images:
                return images
            problem = 'holds no images'
        raise FileNotFoundError(
            f'unpaired image folder {path} {problem}: the data root needs '
            'trainA, trainB, testA and testB (pix2pix\'s paired A|B images '
            'convert with tools/dataset_converters/pix2pix_to_unpaired.py)')

    def load_data_list(self) -> list:
        data_list = super().load_data_list()
        if self.test_mode and self.paired_test:
            self._check_pairs()
        return data_list

    def _check_pairs(self) -> None:
        a = [pair_name(info['path']) for info in self.data_infos_a]
        b = [pair_name(info['path']) for info in self.data_infos_b]
        if a != b:
            unmatched = sorted(set(a) ^ set(b)) or [
                f'{x} vs {y}' for x, y in zip(a, b) if x != y]
            raise ValueError(
                f'{self.dataroot_a} and {self.dataroot_b} are not paired by '
                f'name ({len(a)} and {len(b)} images; unmatched: '
                f'{unmatched[:5]}): a paired metric would compare '
                'unrelated images (paired_test=False for unpaired test sets)')


def split_paired_folder(src: str, dst: str, split: str) -> int:
    """Split each ``A|B`` image of ``src`` (pix2pix's layout, e.g.
    ``maps/val/12.jpg``) into ``dst/<split>A/12_A.png`` and
    ``dst/<split>B/12_B.png`` (lossless). Returns the number of pairs."""
    names = sorted(n for n in os.listdir(src)
                   if n.lower().endswith(IMG_EXTENSIONS_LOWER))
    if not names:
        raise FileNotFoundError(f'{src} holds no images')
    for side in 'AB':
        os.makedirs(osp.join(dst, split + side), exist_ok=True)
    for name in names:
        pair = cv2.imread(osp.join(src, name), cv2.IMREAD_COLOR)
        if pair is None:
            raise ValueError(f'{osp.join(src, name)} is not a readable image')
        if pair.shape[1] % 2:
            raise ValueError(f'{osp.join(src, name)} is {pair.shape[1]} px '
                             'wide: an A|B pair is two images of the same '
                             'size side by side')
        stem, half = osp.splitext(name)[0], pair.shape[1] // 2
        for side, image in (('A', pair[:, :half]), ('B', pair[:, half:])):
            cv2.imwrite(osp.join(dst, split + side, f'{stem}_{side}.png'),
                        image)
    return len(names)
