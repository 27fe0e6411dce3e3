"""Procedural indoor scenes with true depth, written in the NYUv2 (BTS) layout.

Each scene is a box-shaped room (floor, ceiling, three walls at random
distances) holding random boxes and spheres, every surface with its own colour
and procedural texture (checks, stripes, noise), lit by a ceiling light with
Lambertian shading. Frames are rendered by exact ray casting from slightly
different camera poses with NYU-like intrinsics scaled to the frame size, so
the depth is the true z-depth of every pixel. Everything is drawn from
``numpy.random.default_rng(seed)``: the same arguments give the same files.
"""
import os
import os.path as osp
from typing import Dict, Iterator, List, Tuple

import cv2
import numpy as np

#: NYUv2 colour-camera intrinsics at 480x640 (fx, fy, cx, cy).
NYU_INTRINSICS = (518.8579, 519.4696, 325.5824, 253.7362)
SCENE_TYPES = ('bedroom', 'kitchen', 'living_room', 'bathroom', 'office',
               'dining_room', 'classroom', 'bookstore')
MAX_DEPTH = 10.0
#: The room's planes, in surface-index order: (name, axis, normal's sign).
PLANES = (('left', 0, 1), ('right', 0, -1), ('ceiling', 1, 1),
          ('floor', 1, -1), ('back', 2, -1), ('front', 2, 1))


def _rotation(yaw: float, pitch: float) -> np.ndarray:
    cy, sy, cp, sp = np.cos(yaw), np.sin(yaw), np.cos(pitch), np.sin(pitch)
    r_yaw = np.array([[cy, 0, sy], [0, 1, 0], [-sy, 0, cy]])
    r_pitch = np.array([[1, 0, 0], [0, cp, -sp], [0, sp, cp]])
    return r_yaw @ r_pitch


def random_pose(rng: np.random.Generator) -> Tuple[np.ndarray, np.ndarray]:
    """A camera pose near the room's origin: (origin (3,), rotation (3, 3))."""
    origin = rng.uniform([-0.4, -0.2, -0.5], [0.4, 0.2, 0.3])
    return origin, _rotation(
        rng.uniform(-0.35, 0.35), rng.uniform(-0.15, 0.15))


def random_scene(rng: np.random.Generator) -> Dict:
    """A room (x right, y down, z forward; camera near the origin), objects."""
    room = dict(left=-rng.uniform(1.2, 2.5), right=rng.uniform(1.2, 2.5),
                ceiling=-rng.uniform(1.0, 1.5), floor=rng.uniform(1.0, 1.6),
                back=rng.uniform(3.5, 8.5), front=-1.0)
    objects = []
    for _ in range(rng.integers(2, 6)):
        size = rng.uniform([0.3, 0.3, 0.3], [1.0, 1.2, 1.0])
        x = rng.uniform(room['left'] + size[0] / 2,
                        room['right'] - size[0] / 2)
        z = rng.uniform(1.5, room['back'] - size[2] / 2)
        lo = np.array(
            [x - size[0] / 2, room['floor'] - size[1], z - size[2] / 2])
        objects.append(dict(kind='box', lo=lo, hi=lo + size))
    for _ in range(rng.integers(1, 3)):
        r = rng.uniform(0.2, 0.5)
        c = np.array([rng.uniform(room['left'] + r, room['right'] - r),
                      room['floor'] - r - rng.uniform(0, 0.8),
                      rng.uniform(1.5, room['back'] - r)])
        objects.append(dict(kind='sphere', centre=c, radius=r))
    n_surfaces = len(PLANES) + len(objects)
    colours = rng.uniform(40, 230, (n_surfaces, 3))
    textures = rng.integers(0, 3, n_surfaces)
    frequencies = rng.uniform(1.5, 6.0, n_surfaces)
    light = np.array([rng.uniform(-0.5, 0.5), room['ceiling'] + 0.1,
                      rng.uniform(1.0, room['back'] / 2)])
    return dict(room=room, objects=objects, colours=colours, textures=textures,
                frequencies=frequencies, light=light)


def render(scene: Dict, origin: np.ndarray, rotation: np.ndarray,
           size: Tuple[int, int]) -> Tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Ray-cast one frame: RGB uint8 (H, W, 3), z-depth float32 (H, W) in m,
    and the surface each pixel hit, int (H, W): ``PLANES`` index for the
    room's six planes, ``len(PLANES) + i`` for ``scene['objects'][i]``."""
    h, w = size
    fx, fy, cx, cy = (v * s
                      for v, s in zip(NYU_INTRINSICS, (w / 640, h / 480,
                                                       w / 640, h / 480)))
    u, v = np.meshgrid(np.arange(w) + 0.5, np.arange(h) + 0.5)
    d_cam = np.stack([(u - cx) / fx, (v - cy) / fy, np.ones_like(u)], -1)
    d = d_cam @ rotation.T  # world directions; z-depth == ray parameter t
    t_best = np.full((h, w), np.inf)
    normal = np.zeros((h, w, 3))
    surface = np.zeros((h, w), dtype=int)
    room = scene['room']
    planes = [(axis, room[name], sign) for name, axis, sign in PLANES]
    with np.errstate(divide='ignore', invalid='ignore'):
        for sid, (axis, value, sign) in enumerate(planes):
            t = (value - origin[axis]) / d[..., axis]
            hit = (t > 1e-6) & (t < t_best)
            t_best[hit] = t[hit]
            n = np.zeros(3)
            n[axis] = sign
            normal[hit] = n
            surface[hit] = sid
        for oid, obj in enumerate(scene['objects'], start=len(planes)):
            if obj['kind'] == 'box':
                t1 = (obj['lo'] - origin) / d
                t2 = (obj['hi'] - origin) / d
                t_near = np.minimum(t1, t2)
                t_enter = t_near.max(-1)
                t_exit = np.maximum(t1, t2).min(-1)
                hit = (t_exit >= t_enter) & (t_enter > 1e-6) & (
                    t_enter < t_best)
                axis = t_near.argmax(-1)
                n = np.zeros((h, w, 3))
                np.put_along_axis(n, axis[..., None],
                                  -np.sign(np.take_along_axis(
                                      d, axis[..., None], -1)), -1)
                t = t_enter
            else:
                oc = origin - obj['centre']
                a = (d * d).sum(-1)
                b = 2 * (d * oc).sum(-1)
                c = oc @ oc - obj['radius']**2
                disc = b * b - 4 * a * c
                t = (-b - np.sqrt(np.maximum(disc, 0))) / (2 * a)
                hit = (disc > 0) & (t > 1e-6) & (t < t_best)
                n = (origin + t[..., None] * d - obj['centre']) / obj['radius']
            t_best[hit] = t[hit]
            normal[hit] = n[hit]
            surface[hit] = oid
    point = origin + t_best[..., None] * d
    # texture: checks, stripes or value noise in the surface's own coordinates
    freq = scene['frequencies'][surface]
    kind = scene['textures'][surface]
    coords = point * freq[..., None]
    checks = (np.floor(coords).sum(-1) % 2)
    stripes = 0.5 + 0.5 * np.sin(2 * np.pi * (coords[..., 0] + coords[..., 2]))
    noise = 0.5 + 0.5 * np.sin(coords @ np.array([3.1, 1.7, 2.3])) * np.cos(
        coords @ np.array([1.3, 2.9, 0.7]))
    pattern = np.choose(kind, [checks, stripes, noise])
    albedo = scene['colours'][surface] * (0.65 + 0.35 * pattern[..., None])
    to_light = scene['light'] - point
    dist2 = (to_light**2).sum(-1)
    lambert = np.clip((normal * to_light).sum(-1) / np.sqrt(dist2), 0, 1)
    shade = 0.25 + 0.9 * lambert / (1 + 0.04 * dist2)
    rgb = np.clip(albedo * shade[..., None], 0, 255).astype(np.uint8)
    depth = np.minimum(t_best, MAX_DEPTH).astype(np.float32)
    return rgb, depth, surface


def random_frames(rng: np.random.Generator, scenes: int,
                  frames_per_scene: int, size: Tuple[int, int]
                  ) -> Iterator[Tuple[Dict, np.ndarray, np.ndarray,
                                      np.ndarray]]:
    """``frames_per_scene`` random views of each of ``scenes`` random rooms:
    (scene, RGB, depth, surface) as :func:`render` gives them."""
    for _ in range(scenes):
        scene = random_scene(rng)
        for _ in range(frames_per_scene):
            yield (scene, ) + render(scene, *random_pose(rng), size)


def _write_scene(rng: np.random.Generator, folder: str, frames: int,
                 size: Tuple[int, int]) -> List[str]:
    scene = random_scene(rng)
    os.makedirs(folder, exist_ok=True)
    names = []
    for i in range(frames):
        rgb, depth, _ = render(scene, *random_pose(rng), size)
        stem = f'{i:05d}'
        cv2.imwrite(osp.join(folder, f'rgb_{stem}.jpg'), rgb[..., ::-1],
                    [cv2.IMWRITE_JPEG_QUALITY, 95])
        cv2.imwrite(osp.join(folder, f'sync_depth_{stem}.png'),
                    np.round(depth * 1000).astype(np.uint16))
        names.append(stem)
    return names


def make_synthetic_nyu(out_dir: str,
                       train_scenes: int = 40,
                       test_scenes: int = 10,
                       frames_per_scene: int = 10,
                       size: Tuple[int, int] = (96, 128),
                       seed: int = 0) -> Dict:
    """Write a synthetic data set in the NYUv2 (BTS / AiT) layout.

    ``out_dir/sync/<scene>/`` (train) and ``out_dir/official_splits/test/
    <scene>/`` hold ``rgb_XXXXX.jpg`` and ``sync_depth_XXXXX.png`` (16-bit mm),
    listed in ``nyudepthv2_{train,test}_files_with_gt.txt`` with the focal
    length at this size. Returns the counts and the list files' paths.
    """
    focal = NYU_INTRINSICS[0] * size[1] / 640
    rng = np.random.default_rng(seed)
    # (split, folder, scenes, first scene number, list-line prefix as in BTS)
    splits = (('train', 'sync', train_scenes, 0, '/'),
              ('test', osp.join('official_splits', 'test'), test_scenes, 1000,
               ''))
    summary = {}
    for split, subdir, n_scenes, first, lead in splits:
        lines = []
        for s in range(first, first + n_scenes):
            scene = f'{SCENE_TYPES[s % len(SCENE_TYPES)]}_{s:04d}'
            folder = osp.join(out_dir, subdir, scene)
            for stem in _write_scene(rng, folder, frames_per_scene, size):
                lines.append(
                    f'{lead}{scene}/rgb_{stem}.jpg '
                    f'{lead}{scene}/sync_depth_{stem}.png {focal:.4f}')
        list_file = osp.join(out_dir, f'nyudepthv2_{split}_files_with_gt.txt')
        with open(list_file, 'w') as f:
            f.write('\n'.join(lines) + '\n')
        summary[split] = dict(images=len(lines), list_file=list_file)
    return summary
