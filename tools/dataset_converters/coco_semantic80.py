"""Make COCO 2017's 80-class semantic label maps from its instance annotations.

    python tools/dataset_converters/coco_semantic80.py data/coco \
        [--splits train2017 val2017]

reads ``data/coco/annotations/instances_<split>.json`` and writes
``data/coco/semantic80/<split>/<image>.png`` (labels 0-79 in category-id
order, 255 where no instance is), the layout ``mmxtkd.COCOSemantic80Dataset``
and configs/_base_/datasets/coco_semantic80.py read.
"""
import argparse
import os.path as osp
import time

from mmxtkd.datasets.coco_semantic80 import instances_to_label_maps


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('coco_root', help='folder holding annotations/')
    parser.add_argument('--splits', nargs='+',
                        default=['train2017', 'val2017'])
    args = parser.parse_args()
    for split in args.splits:
        src = osp.join(args.coco_root, 'annotations',
                       f'instances_{split}.json')
        if not osp.isfile(src):
            raise SystemExit(f'{src} not found: download COCO 2017\'s '
                             'annotations_trainval2017.zip and unzip it in '
                             f'{args.coco_root}')
        out = osp.join(args.coco_root, 'semantic80', split)
        start = time.time()
        info = instances_to_label_maps(src, out)
        print(f"{split}: {info['images']} label maps from "
              f"{info['annotations']} instances in {out} "
              f"({info['unlabelled_fraction']:.1%} of pixels no object, "
              f'{time.time() - start:.0f} s)', flush=True)


if __name__ == '__main__':
    main()
