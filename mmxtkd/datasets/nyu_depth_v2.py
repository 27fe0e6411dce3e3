"""NYUv2 depth in the layout of BTS / AiT (``sync/``, ``official_splits/``)."""
import os
import os.path as osp
from typing import List, Optional, Tuple

from mmseg.datasets import NYUDataset

from mmxtkd.registry import DATASETS

PREPARE_HINT = (
    'Prepare NYUv2 with tools/dataset_converters/nyu_depth_v2.py '
    '(or make the synthetic stand-in with tools/dataset_converters/'
    'make_synthetic.py).')


def find_pairs(root: str) -> List[Tuple[str, str]]:
    """Every ``rgb_X.jpg`` under ``root`` with a ``sync_depth_X.png`` beside
    it, as sorted (image, depth) paths."""
    pairs = []
    for dirpath, _, files in os.walk(root):
        for name in files:
            if name.startswith('rgb_') and name.endswith('.jpg'):
                depth = osp.join(dirpath, 'sync_depth_' + name[4:-4] + '.png')
                if osp.isfile(depth):
                    pairs.append((osp.join(dirpath, name), depth))
    return sorted(pairs)


@DATASETS.register_module()
class NYUDepthV2Dataset(NYUDataset):
    """NYUv2 in the layout AiT and BTS use::

        data/nyu_depth_v2/
          sync/<scene>/rgb_00000.jpg, sync_depth_00000.png   (train, 24,231)
          official_splits/test/<scene>/rgb_00000.jpg, sync_depth_00000.png
          nyudepthv2_train_files_with_gt.txt, nyudepthv2_test_files_with_gt.txt

    Depth PNGs are 16-bit millimetres (``LoadDepthAnnotation`` with
    ``depth_rescale_factor=1e-3`` gives metres). Samples are the lines of
    ``ann_file`` (``"/scene/rgb_00000.jpg /scene/sync_depth_00000.png
    518.8579"``; leading slashes optional, lines whose depth is ``None``
    skipped), relative to ``data_prefix['img_path']``; without ``ann_file``
    the folder is scanned for ``rgb_*.jpg`` with a ``sync_depth_*.png`` beside
    them. mmseg's own layout (``images/``, ``annotations/``) is mmseg's
    ``NYUDataset``.

    A missing root or list, a listed file that is absent, or a file that
    cannot be decoded raises an error naming the path.
    """

    def __init__(self,
                 data_prefix: dict = dict(img_path='sync'),
                 ann_file: str = '',
                 **kwargs) -> None:
        super().__init__(data_prefix=data_prefix, ann_file=ann_file, **kwargs)

    def load_data_list(self) -> List[dict]:
        root = self.data_prefix.get('img_path', '')
        if not osp.isdir(root):
            raise FileNotFoundError(
                f'NYUv2 data folder not found: {root}. {PREPARE_HINT}')
        if self.ann_file:
            pairs = self._read_list(self.ann_file, root)
        else:
            pairs = [(img, depth, None) for img, depth in find_pairs(root)]
        if not pairs:
            raise FileNotFoundError(
                f'no NYUv2 samples (rgb_*.jpg + sync_depth_*.png) under {root}'
                f'{" listed in " + self.ann_file if self.ann_file else ""}. '
                f'{PREPARE_HINT}')
        data_list = []
        for img_path, depth_path, focal in pairs:
            scene = osp.basename(osp.dirname(img_path))
            data_list.append(dict(
                img_path=img_path, depth_map_path=depth_path, seg_fields=[],
                focal=focal,
                category_id=self._get_category_id_from_filename(scene + '_0')))
        return data_list

    @staticmethod
    def _read_list(ann_file: str, root: str) -> List[tuple]:
        if not osp.isfile(ann_file):
            raise FileNotFoundError(
                f'NYUv2 list file not found: {ann_file}. {PREPARE_HINT}')
        pairs = []
        with open(ann_file) as f:
            for line_no, line in enumerate(f, 1):
                parts = line.split()
                if not parts:
                    continue
                if len(parts) < 2:
                    raise ValueError(f'{ann_file}:{line_no}: expected "rgb '
                                     f'depth [focal]", got {line.strip()!r}')
                if parts[1] == 'None':
                    continue
                img, depth = (osp.join(root, p.lstrip('/')) for p in parts[:2])
                for path in (img, depth):
                    if not osp.isfile(path):
                        raise FileNotFoundError(
                            f'{ann_file}:{line_no} lists {path}, which does '
                            f'not exist. {PREPARE_HINT}')
                focal = float(parts[2]) if len(parts) > 2 else None
                pairs.append((img, depth, focal))
        return pairs

    def prepare_data(self, idx: int) -> Optional[dict]:
        try:
            return super().prepare_data(idx)
        except ValueError:  # the loaders' checks, which name the files
            raise
        except Exception as e:
            info = self.get_data_info(idx)
            raise RuntimeError(
                f'cannot load NYUv2 sample {info["img_path"]} / '
                f'{info["depth_map_path"]}: {e}. The file may be corrupt; '
                f'{PREPARE_HINT}') from e
