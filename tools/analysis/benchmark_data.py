"""How fast a config's training pipeline prepares images, against decoding
alone, and how many data-loader workers feed a GPU at a given step rate.

    python tools/analysis/benchmark_data.py CONFIG [CONFIG ...] \
        [--samples 30] [--steps-per-s 4] [--cfg-options key=value ...]

For each CONFIG, the training data set is built with its own pipeline and
each transform is timed on the same samples in this process, one
data-loader worker's share (mean seconds per sample). The pipeline's leading
``Load*`` transforms (reading and decoding the files) are its floor. Printed:
images per second per worker for the pipeline and its floor, their ratio,
and the workers that deliver the config's batch per process at
``--steps-per-s`` training steps a second; with ``--breakdown``, each
transform's milliseconds per image too.
"""
import argparse

from mmengine.config import Config, DictAction

import mmxtkd  # noqa: F401  (mmxtkd:: configs)
import mmxtkd.datasets  # noqa: F401  (registers the transforms)
from mmxtkd.benchmarks.data_pipeline import pipeline_costs, workers_needed


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('configs', nargs='+', metavar='CONFIG')
    parser.add_argument('--samples', type=int, default=30)
    parser.add_argument('--steps-per-s', type=float, default=4.0,
                        help='training steps a second the GPU runs')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction,
                        help='overrides for every config, as train.py')
    parser.add_argument('--breakdown', action='store_true',
                        help='each transform\'s milliseconds per image')
    args = parser.parse_args(argv)
    breakdowns = []
    print('| config | pipeline img/s/worker | decode img/s/worker | '
          f'pipeline / decode | workers for {args.steps_per_s:g} steps/s |')
    print('|---|---|---|---|---|')
    for path in args.configs:
        cfg = Config.fromfile(path)
        if args.cfg_options:
            cfg.merge_from_dict(args.cfg_options)
        loader = cfg.train_dataloader
        costs = pipeline_costs(loader.dataset, cfg.get('default_scope'),
                               args.samples)
        workers = workers_needed(costs['images_per_s'], args.steps_per_s,
                                 loader.batch_size)
        print(f"| {path} | {costs['images_per_s']:.1f} | "
              f"{costs['decode_images_per_s']:.1f} | {costs['ratio']:.2f} | "
              f'{workers} (batch {loader.batch_size}) |')
        breakdowns.append((path, costs['transforms']))
    if args.breakdown:
        for path, transforms in breakdowns:
            print(f'\n{path}\n\n| transform | ms / image |\n|---|---|')
            for name, seconds in transforms:
                print(f'| {name} | {seconds * 1e3:.2f} |')


if __name__ == '__main__':
    main()
