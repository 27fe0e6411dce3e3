"""Procedural top-down "satellite" images and their flat-coloured maps, in
CycleGAN's unpaired layout with name-paired test images.

Each tile is a layout of land, water, parks, roads and buildings. The map
draws each class in one flat colour, as map tiles do; the satellite image
draws the same layout textured: noisy terrain, rippled water, tree canopy,
asphalt, and roofs of random colours with a shadow. Everything is drawn from
``numpy.random.default_rng(seed)``: the same arguments give the same files.
"""
import os
import os.path as osp
from typing import Dict, Tuple

import cv2
import numpy as np

#: layout classes, in drawing order
CLASSES = ('land', 'water', 'park', 'road', 'building')
#: the map's flat colour of each class (RGB)
MAP_COLOURS = np.array([[242, 239, 233], [170, 211, 223], [200, 250, 204],
                        [255, 255, 255], [217, 208, 201]], dtype=np.uint8)


def _smooth_noise(rng: np.random.Generator, size: Tuple[int, int],
                  cells: int) -> np.ndarray:
    """Noise in [0, 1] varying over about ``size / cells`` pixels."""
    coarse = rng.random((cells + 1, cells + 1)).astype(np.float32)
    return cv2.resize(coarse, size[::-1], interpolation=cv2.INTER_CUBIC)


def random_layout(rng: np.random.Generator,
                  size: Tuple[int, int]) -> np.ndarray:
    """A (H, W) map of ``CLASSES`` indices: water and parks from smooth
    noise, a few straight roads, and buildings on the remaining land."""
    h, w = size
    layout = np.zeros(size, np.uint8)
    if rng.random() < 0.6:
        layout[_smooth_noise(rng, size, 3) > rng.uniform(0.65, 0.8)] = 1
    layout[(_smooth_noise(rng, size, 5) > 0.75) & (layout == 0)] = 2
    for _ in range(rng.integers(1, 4)):  # roads: horizontal and vertical
        width = int(rng.integers(2, 5))
        if rng.random() < 0.5:
            y = int(rng.integers(0, h - width))
            layout[y:y + width] = 3
        else:
            x = int(rng.integers(0, w - width))
            layout[:, x:x + width] = 3
    for _ in range(rng.integers(4, 14)):
        bh, bw = rng.integers(3, max(4, h // 6), 2)
        y, x = rng.integers(0, h - bh), rng.integers(0, w - bw)
        if np.all(layout[y:y + bh, x:x + bw] == 0):
            layout[y:y + bh, x:x + bw] = 4
    return layout


def render_satellite(rng: np.random.Generator,
                     layout: np.ndarray) -> np.ndarray:
    """The textured top-down view (H, W, 3) RGB uint8 of a layout."""
    size = layout.shape
    fine = rng.normal(0, 1, size + (1, ))
    terrain = np.array([118, 112, 84]) + 25 * (
        _smooth_noise(rng, size, 6)[..., None] - 0.5) + 10 * fine
    water = np.array([38, 62, 78]) + 6 * fine
    canopy = cv2.GaussianBlur(rng.random(size).astype(np.float32), (0, 0), 1)
    trees = np.array([44, 78, 40]) + 60 * (canopy[..., None] - 0.5)
    asphalt = np.array([96, 96, 100]) + 6 * fine
    image = np.select([layout[..., None] == k for k in range(4)],
                      [terrain, water, trees, asphalt], terrain)
    n, labels = cv2.connectedComponents((layout == 4).astype(np.uint8), 4)
    roofs = rng.choice([[150, 150, 155], [170, 90, 70], [120, 100, 90],
                        [200, 200, 195]], n)
    image[layout == 4] = roofs[labels[layout == 4]] + 8 * fine[layout == 4]
    shadow = np.zeros(size, bool)  # the sun in the top left
    shadow[1:, 1:] = (layout[:-1, :-1] == 4) & (layout[1:, 1:] != 4)
    image[shadow] *= 0.55
    return np.clip(image, 0, 255).astype(np.uint8)


def make_synthetic_sat2map(out_dir: str, train_tiles: int = 120,
                           test_tiles: int = 24,
                           size: Tuple[int, int] = (64, 64),
                           seed: int = 0) -> Dict[str, int]:
    """Write ``out_dir/{train,test}A/<n>_A.png`` (satellite) and
    ``out_dir/{train,test}B/<n>_B.png`` (its map), as CycleGAN's data sets
    are laid out; the same ``n`` is the same layout. Returns the number of
    tiles per split."""
    rng = np.random.default_rng(seed)
    counts = {}
    for split, n_tiles in (('train', train_tiles), ('test', test_tiles)):
        for side in 'AB':
            os.makedirs(osp.join(out_dir, split + side), exist_ok=True)
        for n in range(1, n_tiles + 1):
            layout = random_layout(rng, size)
            for side, rgb in (('A', render_satellite(rng, layout)),
                              ('B', MAP_COLOURS[layout])):
                cv2.imwrite(osp.join(out_dir, split + side, f'{n}_{side}.png'),
                            np.ascontiguousarray(rgb[..., ::-1]))
        counts[split] = n_tiles
    return counts
