"""Write the embedded synthetic depth data set in the NYUv2 (BTS / AiT) layout.

    python tools/dataset_converters/make_synthetic_depth.py \
        [--out data/nyu_depth_v2_synthetic] [--train-scenes 40] \
        [--test-scenes 10] [--frames 10] [--size 96 128] [--seed 0]

Procedural rooms with boxes and spheres, textured and shaded, rendered by ray
casting with their true depth (see mmxtkd.datasets.synthetic_depth). The same
arguments always write the same files.
"""
import argparse
import time

from mmxtkd.datasets import make_synthetic_nyu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--out', default='data/nyu_depth_v2_synthetic')
    parser.add_argument('--train-scenes', type=int, default=40)
    parser.add_argument('--test-scenes', type=int, default=10)
    parser.add_argument('--frames', type=int, default=10,
                        help='frames per scene')
    parser.add_argument('--size', type=int, nargs=2, default=(96, 128),
                        metavar=('H', 'W'))
    parser.add_argument('--seed', type=int, default=0)
    args = parser.parse_args()
    start = time.time()
    summary = make_synthetic_nyu(args.out, args.train_scenes, args.test_scenes,
                                 args.frames, tuple(args.size), args.seed)
    for split, info in summary.items():
        print(f"{split}: {info['images']} frames, list {info['list_file']}")
    print(f'done in {time.time() - start:.1f} s')


if __name__ == '__main__':
    main()
