"""The synthetic rooms as colourisation pairs in mmagic's paired layout."""
import os
import os.path as osp
from typing import Dict, Tuple

import cv2
import numpy as np

from .synthetic_depth import random_pose, random_scene, render


def make_synthetic_colourisation(out_dir: str, train_scenes: int = 30,
                                 test_scenes: int = 8,
                                 frames_per_scene: int = 4,
                                 size: Tuple[int, int] = (64, 64),
                                 seed: int = 0) -> Dict[str, int]:
    """Write ``out_dir/{train,test}/<n>.png``: each image is a rendered colour
    frame (A, left) beside its grayscale copy (B, right), as mmagic's
    ``PairedImageDataset`` reads pix2pix's data sets. The same arguments
    always write the same files. Returns the number of pairs per split."""
    rng = np.random.default_rng(seed)
    counts = {}
    for split, n_scenes in (('train', train_scenes), ('test', test_scenes)):
        folder = osp.join(out_dir, split)
        os.makedirs(folder, exist_ok=True)
        n = 0
        for _ in range(n_scenes):
            scene = random_scene(rng)
            for _ in range(frames_per_scene):
                rgb, _, _ = render(scene, *random_pose(rng), size)
                bgr = np.ascontiguousarray(rgb[..., ::-1])
                gray = cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY)
                pair = np.concatenate(
                    [bgr, np.repeat(gray[..., None], 3, axis=2)], axis=1)
                n += 1
                cv2.imwrite(osp.join(folder, f'{n}.png'), pair)
        counts[split] = n
    return counts
