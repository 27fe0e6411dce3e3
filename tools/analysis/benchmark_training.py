"""How fast a config trains, and how long it waits for data.

    python tools/analysis/benchmark_training.py CONFIG [--iters 200] \
        [--skip 20] [--random-weights] [--amp] [--work-dir DIR] \
        [--out RECORD.json] [--cfg-options key=value ...] [--launcher pytorch]

Trains CONFIG (its model, data pipeline, loaders, optimizer and custom
hooks) for ``--iters`` iterations with no validation, checkpoints or
learning-rate schedule, the training set repeated so that the run is one
epoch (see mmxtkd.benchmarks.training), then prints,
from mmengine's per-iteration timings without the first ``--skip``:
iterations and images a second (all processes' images), the median
iteration, the mean time it waited for its batch and the share of the time
waited, and the peak GPU memory. ``--random-weights`` reads no weight file
(teachers' and students' ``Pretrained`` inits): speed does not depend on
them. Distributed runs as tools/dist_train.sh launches them.
"""
import argparse
import json
import os
import os.path as osp

import torch
from mmengine.dist import get_world_size, is_main_process
from mmengine.registry import DATASETS, DefaultScope
from mmengine.runner import Runner

import mmxtkd.datasets  # noqa: F401  (registers the data sets)
from mmxtkd.apis import (adapt_to_cpu_distributed, add_common_arguments,
                         finish_distributed, load_tool_config)
from mmxtkd.apis.launch import enable_amp
from mmxtkd.benchmarks.training import (PeakGPUMemory, passes_for,
                                        speed_summary, timed_run_config)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('config')
    parser.add_argument('--iters', type=int, default=200)
    parser.add_argument(
        '--skip',
        type=int,
        default=20,
        help='first iterations left out of the timings')
    parser.add_argument('--log-interval', type=int, default=10)
    parser.add_argument(
        '--random-weights',
        action='store_true',
        help='read no weight file (random initialisation)')
    parser.add_argument(
        '--amp', action='store_true', help='as tools/train.py --amp (CUDA)')
    parser.add_argument(
        '--work-dir',
        help='default: work_dirs/benchmarks/'
        'training/<config name>')
    parser.add_argument('--out', help='JSON record of the summary')
    add_common_arguments(parser)
    args = parser.parse_args(argv)
    if args.skip >= args.iters:
        parser.error(f'--skip {args.skip} leaves none of --iters '
                     f'{args.iters} to time')
    return args


def main(argv=None) -> dict:
    args = parse_args(argv)
    cfg = load_tool_config(args)
    if args.work_dir is None:  # not the config's own runs' folder
        cfg.work_dir = osp.join('work_dirs', 'benchmarks', 'training',
                                cfg.config_name)
    loader = cfg.train_dataloader
    with DefaultScope.overwrite_default_scope(cfg.get('default_scope')):
        length = len(DATASETS.build(loader.dataset))
    # the process group starts with the Runner: the launcher's count (more
    # passes than needed only lengthen the one epoch)
    processes = max(
        int(os.environ.get(k, 1)) for k in ('WORLD_SIZE', 'SLURM_NTASKS'))
    passes = passes_for(args.iters, loader.batch_size, processes, length)
    cfg = timed_run_config(cfg, args.iters, args.log_interval,
                           args.random_weights, passes)
    if args.amp:
        enable_amp(cfg)
    adapt_to_cpu_distributed(cfg)
    runner = Runner.from_cfg(cfg)
    peak_memory = PeakGPUMemory()
    runner.register_hook(peak_memory)
    if torch.cuda.is_available():
        torch.cuda.reset_peak_memory_stats()
    runner.train()
    hub = runner.message_hub
    batch = cfg.train_dataloader.batch_size * get_world_size()
    summary = speed_summary(
        hub.get_scalar('train/time').data[0],
        hub.get_scalar('train/data_time').data[0], args.skip, batch)
    summary.update(
        config=args.config,
        batch=batch,
        processes=get_world_size(),
        data_passes=passes,
        amp=args.amp,
        device=(torch.cuda.get_device_name()
                if torch.cuda.is_available() else 'cpu'),
        workers=cfg.train_dataloader.get('num_workers', 0),
        peak_gpu_memory_gib=(peak_memory.peak
                             if torch.cuda.is_available() else None))
    if is_main_process():
        memory = summary['peak_gpu_memory_gib']
        print('| config | batch | it/s | img/s | median iteration (s) | '
              'data wait (s) | waiting | peak GPU memory |\n'
              '|---|---|---|---|---|---|---|---|\n'
              f"| {args.config}{' --amp' if args.amp else ''} | {batch} | "
              f"{summary['iterations_per_s']:.2f} | "
              f"{summary['images_per_s']:.1f} | "
              f"{summary['median_iteration_s']:.3f} | "
              f"{summary['mean_data_wait_s']:.4f} | "
              f"{summary['data_wait_share']:.1%} | "
              f"{'-' if memory is None else f'{memory:.1f} GiB'} |")
        if args.out:
            with open(args.out, 'w') as f:
                json.dump(summary, f, indent=1)
    finish_distributed(runner)
    return summary


if __name__ == '__main__':
    main()
