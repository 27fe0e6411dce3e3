"""The synthetic rooms as colourisation pairs in mmagic's paired layout."""
import os
import os.path as osp
from typing import Dict, Tuple

import cv2
import numpy as np

from .synthetic_depth import random_frames


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
        frames = random_frames(rng, n_scenes, frames_per_scene, size)
        for n, (_, rgb, _, _) in enumerate(frames, 1):
            bgr = np.ascontiguousarray(rgb[..., ::-1])
            gray = cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY)
            pair = np.concatenate(
                [bgr, np.repeat(gray[..., None], 3, axis=2)], axis=1)
            cv2.imwrite(osp.join(folder, f'{n}.png'), pair)
        counts[split] = n_scenes * frames_per_scene
    return counts
