"""The synthetic rooms as a semantic segmentation set in the ADE20K layout.

The scenes of :mod:`mmxtkd.datasets.synthetic_depth` know which surface every
pixel hit; those surfaces become five classes. Label PNGs follow ADE20K's
convention: 0 is "other" (ignored with ``reduce_zero_label=True``) and class
``i`` is stored as ``i + 1``. ``labels='textures'`` labels each pixel with
the procedural texture its surface was drawn with instead (checks,
stripes, noise): a task the renderer draws independently of the room's
geometry, so it tells next to nothing about depth (the cross-task study's
nuisance teacher).
"""
import os
import os.path as osp
from typing import Dict, Tuple

import cv2
import numpy as np

from .synthetic_depth import PLANES, random_frames

SYNTHETIC_SEG_CLASSES = ('wall', 'floor', 'ceiling', 'box', 'sphere')
#: the classes of ``labels='textures'``, in the renderer's texture order
SYNTHETIC_TEXTURE_CLASSES = ('checks', 'stripes', 'noise')
SYNTHETIC_SEG_PALETTE = ((120, 120, 120), (80, 50, 50), (120, 120, 80),
                         (255, 173, 0), (6, 230, 230))
_PLANE_CLASS = {'left': 'wall', 'right': 'wall', 'back': 'wall',
                'front': 'wall', 'floor': 'floor', 'ceiling': 'ceiling'}


def surface_labels(scene: Dict, surface: np.ndarray) -> np.ndarray:
    """Surface indices (H, W) of :func:`render` -> ADE20K-style label map
    (H, W) uint8, ``SYNTHETIC_SEG_CLASSES`` index + 1."""
    kinds = [_PLANE_CLASS[name] for name, _, _ in PLANES]
    kinds += [obj['kind'] for obj in scene['objects']]
    lut = np.array([SYNTHETIC_SEG_CLASSES.index(k) + 1 for k in kinds],
                   dtype=np.uint8)
    return lut[surface]


def texture_labels(scene: Dict, surface: np.ndarray) -> np.ndarray:
    """Surface indices (H, W) -> the texture each pixel's surface was drawn
    with, ``SYNTHETIC_TEXTURE_CLASSES`` index + 1, (H, W) uint8."""
    return (np.asarray(scene['textures']) + 1).astype(np.uint8)[surface]


def make_synthetic_ade(out_dir: str, train_scenes: int = 30,
                       val_scenes: int = 8, frames_per_scene: int = 8,
                       size: Tuple[int, int] = (96, 128),
                       seed: int = 0, labels: str = 'surfaces'
                       ) -> Dict[str, int]:
    """Write ``out_dir/images/{training,validation}/*.jpg`` and
    ``out_dir/annotations/{training,validation}/*.png`` (ADE20K's layout and
    names), labelled by surface class (``'surfaces'``) or by texture
    (``'textures'``). The same arguments always write the same files.
    Returns the number of frames per split."""
    label_of = dict(surfaces=surface_labels, textures=texture_labels)
    if labels not in label_of:
        raise ValueError(f"labels must be 'surfaces' or 'textures', not "
                         f'{labels!r}')
    rng = np.random.default_rng(seed)
    counts = {}
    for split, prefix, n_scenes in (('training', 'ADE_train', train_scenes),
                                    ('validation', 'ADE_val', val_scenes)):
        img_dir = osp.join(out_dir, 'images', split)
        ann_dir = osp.join(out_dir, 'annotations', split)
        os.makedirs(img_dir, exist_ok=True)
        os.makedirs(ann_dir, exist_ok=True)
        frames = random_frames(rng, n_scenes, frames_per_scene, size)
        for n, (scene, rgb, _, surface) in enumerate(frames, 1):
            stem = f'{prefix}_{n:08d}'
            cv2.imwrite(osp.join(img_dir, stem + '.jpg'), rgb[..., ::-1],
                        [cv2.IMWRITE_JPEG_QUALITY, 95])
            cv2.imwrite(osp.join(ann_dir, stem + '.png'),
                        label_of[labels](scene, surface))
        counts[split] = n_scenes * frames_per_scene
    return counts
