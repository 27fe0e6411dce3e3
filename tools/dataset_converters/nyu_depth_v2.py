"""Arrange the public NYUv2 downloads in the layout AiT / BTS train and
test on.

The paper (via AiT) uses the 24,231 training frames of BTS's ``sync`` set and
the 654 frames of the official test split. Download (by hand, outside this
tool):

- ``sync.zip``: BTS's synchronised training frames, ``<scene>/rgb_XXXXX.jpg``
  and ``<scene>/sync_depth_XXXXX.png`` (16-bit, mm);
- ``nyu_depth_v2_labeled.mat`` (the labelled set, HDF5 / MATLAB v7.3) and
  ``splits.mat`` (``testNdxs``, 1-based) from the NYU Depth V2 site.

Then::

    python tools/dataset_converters/nyu_depth_v2.py \
        --sync sync.zip --labeled-mat nyu_depth_v2_labeled.mat \
        --splits-mat splits.mat --out data/nyu_depth_v2

which writes::

    data/nyu_depth_v2/sync/<scene>/rgb_XXXXX.jpg, sync_depth_XXXXX.png
    data/nyu_depth_v2/official_splits/test/<scene>/rgb_XXXXX.jpg, ...png
    data/nyu_depth_v2/nyudepthv2_{train,test}_files_with_gt.txt

The test frames are extracted as BTS's ``extract_official_train_test_set_
from_mat.py`` does: frame ``i`` (1-based) of the .mat, its scene type as the
folder, RGB as JPEG, depth in mm as 16-bit PNG. If you already have BTS's
official list files, pass them with ``--train-list`` / ``--test-list`` to use
them instead of the scanned ones.
"""
import argparse
import os
import os.path as osp
import shutil
import zipfile
from typing import List, Optional

import cv2
import numpy as np

from mmxtkd.datasets.nyu_depth_v2 import find_pairs

FOCAL = 518.8579


def extract_sync(src: str, out_dir: str) -> None:
    """Copy BTS's ``sync`` frames (a .zip or its folder) to ``out_dir``."""
    if not osp.exists(src):
        raise FileNotFoundError(f'sync set not found: {src}')
    os.makedirs(out_dir, exist_ok=True)
    if zipfile.is_zipfile(src):
        with zipfile.ZipFile(src) as zf:
            for member in zf.infolist():
                parts = member.filename.split('/')
                if parts[0] == 'sync':  # sync.zip holds a top-level sync/
                    parts = parts[1:]
                if member.is_dir() or not parts or not parts[-1]:
                    continue
                target = osp.join(out_dir, *parts)
                os.makedirs(osp.dirname(target), exist_ok=True)
                with zf.open(member) as fin, open(target, 'wb') as fout:
                    shutil.copyfileobj(fin, fout)
    else:
        shutil.copytree(src, out_dir, dirs_exist_ok=True)


def extract_official_test(labeled_mat: str, splits_mat: str,
                          out_dir: str) -> int:
    """Write the official test frames of the labelled .mat; their count."""
    import h5py
    from scipy.io import loadmat
    for path in (labeled_mat, splits_mat):
        if not osp.isfile(path):
            raise FileNotFoundError(f'NYUv2 file not found: {path}')
    test_ids = set(int(i) for i in np.ravel(loadmat(splits_mat)['testNdxs']))
    count = 0
    with h5py.File(labeled_mat, 'r') as f:
        images, depths = f['images'], f['depths']  # (N,3,W,H), (N,W,H)
        scenes = [''.join(chr(c) for c in np.ravel(f[ref]))
                  for ref in np.ravel(f['sceneTypes'])]
        for i in range(images.shape[0]):
            idx = i + 1
            if idx not in test_ids:
                continue
            folder = osp.join(out_dir, scenes[i])
            os.makedirs(folder, exist_ok=True)
            rgb = np.transpose(images[i], (2, 1, 0))  # (H, W, 3) RGB
            depth_mm = np.transpose(depths[i], (1, 0)) * 1000.0
            cv2.imwrite(osp.join(folder, f'rgb_{idx:05d}.jpg'),
                        np.ascontiguousarray(rgb[..., ::-1]),
                        [cv2.IMWRITE_JPEG_QUALITY, 100])
            cv2.imwrite(osp.join(folder, f'sync_depth_{idx:05d}.png'),
                        np.round(depth_mm).astype(np.uint16))
            count += 1
    return count


def list_lines(root: str, leading_slash: bool) -> List[str]:
    """List lines ``[/]scene/rgb_X.jpg [/]scene/sync_depth_X.png focal``."""
    lead = '/' if leading_slash else ''
    return [f'{lead}{osp.relpath(img, root)} {lead}{osp.relpath(depth, root)} '
            f'{FOCAL}' for img, depth in find_pairs(root)]


def write_list(lines: List[str], path: str,
               given: Optional[str] = None) -> None:
    if given is not None:
        shutil.copyfile(given, path)
        return
    with open(path, 'w') as f:
        f.write('\n'.join(lines) + '\n')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--sync', help="BTS's sync.zip or its unpacked folder")
    parser.add_argument('--labeled-mat', help='nyu_depth_v2_labeled.mat')
    parser.add_argument('--splits-mat', help='splits.mat')
    parser.add_argument('--train-list', help="BTS's train list to use as is")
    parser.add_argument('--test-list', help="BTS's test list to use as is")
    parser.add_argument('--out', default='data/nyu_depth_v2')
    args = parser.parse_args()
    if not args.sync and not args.labeled_mat:
        parser.error('give --sync and/or --labeled-mat with --splits-mat')
    if args.sync:
        sync_dir = osp.join(args.out, 'sync')
        extract_sync(args.sync, sync_dir)
        write_list(list_lines(sync_dir, leading_slash=True),
                   osp.join(args.out, 'nyudepthv2_train_files_with_gt.txt'),
                   args.train_list)
        print(f'train frames in {sync_dir}')
    if args.labeled_mat:
        if not args.splits_mat:
            parser.error('--labeled-mat needs --splits-mat')
        test_dir = osp.join(args.out, 'official_splits', 'test')
        n = extract_official_test(args.labeled_mat, args.splits_mat, test_dir)
        write_list(list_lines(test_dir, leading_slash=False),
                   osp.join(args.out, 'nyudepthv2_test_files_with_gt.txt'),
                   args.test_list)
        print(f'{n} test frames in {test_dir}')


if __name__ == '__main__':
    main()
