"""Split pix2pix's paired A|B images into CycleGAN's unpaired folders.

    python tools/dataset_converters/pix2pix_to_unpaired.py \
        data/pix2pix/maps data/cyclegan/maps [--splits train:train val:test]

reads ``data/pix2pix/maps/<split>/<n>.jpg`` (aerial | map) and writes
``data/cyclegan/maps/{train,test}{A,B}/<n>_{A,B}.png``, the layout
``mmxtkd.UnpairedTranslationDataset`` and
configs/_base_/datasets/maps_unpaired.py read (test pairs matched by name).
"""
import argparse
import os.path as osp

from mmxtkd.datasets.editing import split_paired_folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('src', help="pix2pix's data set folder")
    parser.add_argument('dst', help='the unpaired data root to write')
    parser.add_argument(
        '--splits', nargs='+', default=['train:train', 'val:test'],
        help="SOURCE:TARGET split names (pix2pix's maps has train and val)")
    args = parser.parse_args()
    for pair in args.splits:
        source, target = pair.split(':')
        n = split_paired_folder(osp.join(args.src, source), args.dst, target)
        print(f'{args.src}/{source}: {n} pairs -> {args.dst}/{target}A, '
              f'{target}B')


if __name__ == '__main__':
    main()
