"""Write one of the embedded synthetic data sets in its real data set's
layout.

    python tools/dataset_converters/make_synthetic.py [--task depth] \
        [--out DIR] [--train N] [--test N] [--frames 10] [--size H W] \
        [--seed 0]

Tasks and layouts (see mmxtkd.datasets.synthetic_*):
    depth          NYUv2 as BTS / AiT lay it out (procedural rooms, ray cast
                   with their true depth)
    seg            ADE20K (the same rooms' surfaces as five classes)
    colourisation  pix2pix's paired folders (each room beside its grayscale)
    sat2map        CycleGAN's unpaired trainA/trainB (aerial tiles and maps)
``--train`` / ``--test`` count scenes (tiles for sat2map), each rendered
``--frames`` times. The same arguments always write the same files; the
default folder is the one the task's synthetic configs read.
"""
import argparse
import time

from mmxtkd.datasets import (make_synthetic_ade, make_synthetic_colourisation,
                             make_synthetic_nyu, make_synthetic_sat2map)

# task -> (writer, default folder, default train / test counts, size (H, W))
TASKS = {
    'depth': (make_synthetic_nyu, 'data/nyu_depth_v2_synthetic', 40, 10,
              (96, 128)),
    'seg': (make_synthetic_ade, 'data/ade20k_synthetic', 30, 8, (96, 128)),
    'colourisation': (make_synthetic_colourisation,
                      'data/colourisation_synthetic', 30, 8, (64, 64)),
    'sat2map': (make_synthetic_sat2map, 'data/sat2map_synthetic', 120, 24,
                (64, 64)),
}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--task', choices=sorted(TASKS), default='depth')
    parser.add_argument(
        '--out', help='default: the synthetic configs\' folder')
    parser.add_argument('--train', type=int, help='training scenes / tiles')
    parser.add_argument('--test', type=int, help='test scenes / tiles')
    parser.add_argument('--frames', type=int, default=10,
                        help='frames per scene (not for sat2map)')
    parser.add_argument('--size', type=int, nargs=2, metavar=('H', 'W'))
    parser.add_argument('--seed', type=int, default=0)
    args = parser.parse_args(argv)
    write, out, n_train, n_test, size = TASKS[args.task]
    counts = [n_train if args.train is None else args.train,
              n_test if args.test is None else args.test]
    if args.task != 'sat2map':
        counts.append(args.frames)
    start = time.time()
    summary = write(args.out or out, *counts,
                    size=tuple(args.size or size), seed=args.seed)
    for split, info in summary.items():
        print(f'{split}: {info}')
    print(f'done in {time.time() - start:.1f} s')


if __name__ == '__main__':
    main()
