"""Write the first N outputs of a config's data pipeline as images, to look
at before training: the image beside its depth as a colour map, its
segmentation labels over it, its class name under it, or an image
translation's pair side by side.

    python tools/analysis/browse_dataset.py CONFIG [--phase train|val|test]
        [-n N] [--output-dir DIR] [--cfg-options key=value ...]

Images go to ``DIR/<index>_<image name>.png`` (default
``work_dirs/browse_dataset/<config name>/<phase>/``), from the dataset
exactly as the dataloader builds it (training augmentation included).
"""
import argparse
import os
import os.path as osp

import cv2
from mmengine.config import Config, DictAction
from mmengine.registry import DATASETS, init_default_scope

import mmxtkd  # noqa: F401  (mmxtkd:: configs, its transforms)
from mmxtkd.visualization import sample_panels


def sample_name(sample: dict, index: int) -> str:
    """``<index>_<stem of its image file>`` where the sample names one."""
    data = sample.get('data_samples')
    path = data.metainfo.get('img_path') if data is not None else None
    stem = osp.splitext(osp.basename(path))[0] if path else ''
    return f'{index:04d}' + (f'_{stem}' if stem else '')


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config')
    parser.add_argument('--phase', choices=['train', 'val', 'test'],
                        default='train')
    parser.add_argument('-n', '--num', type=int, default=8,
                        help='how many samples (default 8)')
    parser.add_argument('--output-dir')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction)
    args = parser.parse_args(argv)
    if args.num < 1:
        parser.error('-n must be at least 1')
    cfg = Config.fromfile(args.config)
    if args.cfg_options:
        cfg.merge_from_dict(args.cfg_options)
    loader = cfg.get(f'{args.phase}_dataloader')
    if not loader:
        raise SystemExit(f'{args.config} has no {args.phase}_dataloader')
    out = args.output_dir or osp.join(
        'work_dirs', 'browse_dataset',
        osp.splitext(osp.basename(args.config))[0], args.phase)
    os.makedirs(out, exist_ok=True)
    init_default_scope(cfg.get('default_scope', 'mmxtkd'))  # as the Runner
    dataset = DATASETS.build(loader['dataset'])
    if len(dataset) == 0:
        raise SystemExit(f'the {args.phase} dataset of {args.config} is '
                         'empty: check its data_root and annotation files')
    for index in range(min(args.num, len(dataset))):
        sample = dataset[index]
        path = osp.join(out, sample_name(sample, index) + '.png')
        cv2.imwrite(path, sample_panels(sample, dataset.metainfo))
    print(f'{min(args.num, len(dataset))} of {len(dataset)} {args.phase} '
          f'samples written to {out}')


if __name__ == '__main__':
    main()
