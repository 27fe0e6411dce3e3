"""MSCOCO as 80-class semantic segmentation: label PNGs made from the
instance annotations, and the data set that reads them."""
import json
import os
import os.path as osp
from typing import Dict, Tuple

import cv2
import numpy as np
from mmdet.datasets import CocoDataset
from mmseg.datasets import BaseSegDataset

from mmxtkd.registry import DATASETS

COCO80_CLASSES: Tuple[str, ...] = tuple(CocoDataset.METAINFO['classes'])
#: The label of pixels that no instance covers (not scored).
NO_OBJECT = 255
PREPARE_HINT = ('Make the label maps with tools/dataset_converters/'
                'coco_semantic80.py data/coco (from the COCO 2017 images and '
                'annotations/instances_{train,val}2017.json).')


def instances_to_label_maps(instances_json: str, out_dir: str) -> Dict:
    """Write one label PNG per image of a COCO instances file.

    Label ``i`` is the i-th of the 80 categories in category-id order (the
    order of ``COCO80_CLASSES``); pixels that no instance covers are
    ``NO_OBJECT``. Where instances overlap, the smaller one is drawn last
    (on top); crowd regions take their category. Every image of the file
    gets a PNG, named as the image with ``.png``, so none is missing for
    an image without instances.
    """
    from pycocotools import mask as mask_utils
    with open(instances_json) as f:
        data = json.load(f)
    categories = sorted(data['categories'], key=lambda c: c['id'])
    names = tuple(c['name'] for c in categories)
    if names != COCO80_CLASSES:
        raise ValueError(
            f'{instances_json}: its {len(names)} categories are not the 80 '
            'of COCO 2017 instances (in category-id order)')
    label_of = {c['id']: i for i, c in enumerate(categories)}
    by_image: Dict[int, list] = {img['id']: [] for img in data['images']}
    for ann in data['annotations']:
        if ann['image_id'] not in by_image:
            raise ValueError(f"{instances_json}: annotation {ann['id']} names "
                             f"image {ann['image_id']}, which is not listed")
        by_image[ann['image_id']].append(ann)
    os.makedirs(out_dir, exist_ok=True)
    pixels = np.zeros(len(COCO80_CLASSES) + 1, dtype=np.int64)
    for img in data['images']:
        h, w = img['height'], img['width']
        label = np.full((h, w), NO_OBJECT, dtype=np.uint8)
        for ann in sorted(by_image[img['id']], key=lambda a: -a['area']):
            seg = ann['segmentation']
            if isinstance(seg, list):  # polygons
                rle = mask_utils.merge(mask_utils.frPyObjects(seg, h, w))
            elif isinstance(seg['counts'], list):  # uncompressed RLE (crowd)
                rle = mask_utils.frPyObjects(seg, h, w)
            else:
                rle = seg
            label[mask_utils.decode(rle).astype(bool)] = \
                label_of[ann['category_id']]
        stem = osp.splitext(img['file_name'])[0]
        cv2.imwrite(osp.join(out_dir, stem + '.png'), label)
        pixels += np.bincount(np.minimum(label.ravel(), len(COCO80_CLASSES)),
                              minlength=len(pixels))
    return dict(images=len(data['images']),
                annotations=len(data['annotations']),
                unlabelled_fraction=float(pixels[-1] / max(pixels.sum(), 1)))


@DATASETS.register_module()
class COCOSemantic80Dataset(BaseSegDataset):
    """COCO 2017 with the 80 instance categories as semantic classes::

        data/coco/
          train2017/*.jpg, val2017/*.jpg
          annotations/instances_{train,val}2017.json
          semantic80/train2017/*.png, semantic80/val2017/*.png   (made by
              tools/dataset_converters/coco_semantic80.py)

    Labels 0-79 follow ``COCO80_CLASSES``; 255 (no object) is ignored.
    """

    METAINFO = dict(classes=COCO80_CLASSES,
                    palette=CocoDataset.METAINFO['palette'])

    def __init__(self, img_suffix: str = '.jpg', seg_map_suffix: str = '.png',
                 **kwargs) -> None:
        super().__init__(img_suffix=img_suffix, seg_map_suffix=seg_map_suffix,
                         reduce_zero_label=False, **kwargs)

    def load_data_list(self):
        for key in ('img_path', 'seg_map_path'):
            folder = self.data_prefix.get(key)
            if folder is not None and not osp.isdir(folder):
                raise FileNotFoundError(
                    f'COCO semantic80: {folder} does not exist. '
                    + PREPARE_HINT)
        return super().load_data_list()
