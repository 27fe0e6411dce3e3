"""scikit-learn's handwritten digits (1,797 real 8x8 scans, UCI) written as
a cross-task pair of image folders: the REFILLED demo's real data."""
import os
import os.path as osp
from typing import Dict, Sequence

import cv2
import numpy as np


def make_digits_class_split(out_dir: str,
                            teacher_digits: Sequence[int] = (0, 1, 2, 3, 4),
                            student_per_class: int = 10,
                            teacher_train_share: float = 0.8,
                            size: int = 32, seed: int = 0) -> Dict[str, int]:
    """Write ``out_dir/{teacher,student}/{train,test}/<digit>/<n>.png``
    (mmpretrain's ``CustomDataset`` folder layout; each folder's classes
    are its digits, in order): the teacher's digits split
    ``teacher_train_share`` / rest, the other digits with
    ``student_per_class`` training images each (few: where a teacher can
    help) and the rest for testing. Images are upsampled to ``size`` and
    scaled from 0-16 to 0-255, one channel. The same arguments always write
    the same files. Returns the images per folder."""
    from sklearn.datasets import load_digits  # the data ships in the wheel
    digits = load_digits()
    rng = np.random.default_rng(seed)
    counts = {}
    for digit in range(10):
        images = digits.images[digits.target == digit]
        order = rng.permutation(len(images))
        side = 'teacher' if digit in teacher_digits else 'student'
        n_train = (int(round(teacher_train_share * len(images)))
                   if side == 'teacher' else student_per_class)
        if not 0 < n_train < len(images):
            raise ValueError(f'digit {digit} has {len(images)} images: '
                             f'cannot train on {n_train} and test on the rest')
        for split, chosen in (('train', order[:n_train]),
                              ('test', order[n_train:])):
            folder = osp.join(out_dir, side, split, str(digit))
            os.makedirs(folder, exist_ok=True)
            for n in chosen:
                img = cv2.resize(images[n] * (255 / 16), (size, size),
                                 interpolation=cv2.INTER_LINEAR)
                cv2.imwrite(osp.join(folder, f'{n:04d}.png'),
                            np.clip(img, 0, 255).astype(np.uint8))
            key = f'{side}/{split}'
            counts[key] = counts.get(key, 0) + len(chosen)
    return counts
