"""Train a model from a config (flags as mmsegmentation's tools/train.py)."""
import argparse
import os
import os.path as osp

from mmengine.runner import Runner

from mmxtkd.apis import (adapt_to_cpu_distributed, add_common_arguments,
                         finish_distributed, load_tool_config)
from mmxtkd.apis.launch import enable_amp
from mmxtkd.apis.run_checkpoint import (check_fresh_work_dir,
                                        check_resume_fits,
                                        check_resume_same_config,
                                        last_intact_checkpoint, run_files,
                                        total_batch_note)


def parse_args():
    parser = argparse.ArgumentParser(description='Train a model')
    parser.add_argument('config', help='train config file path')
    parser.add_argument('--work-dir', help='the dir to save logs and models')
    parser.add_argument(
        '--resume',
        action='store_true',
        default=False,
        help='resume from the latest checkpoint in the work_dir automatically')
    parser.add_argument(
        '--start-over',
        action='store_true',
        help="delete the checkpoints of an earlier run in the work dir and "
        'train afresh (without it, a work dir holding checkpoints is '
        'refused: --resume continues that run)')
    parser.add_argument(
        '--amp',
        action='store_true',
        default=False,
        help='enable automatic-mixed-precision training (CUDA): bfloat16 '
        'where the GPU supports it, else float16 with dynamic loss scaling; '
        'optim_wrapper.dtype in the config or --cfg-options chooses')
    parser.add_argument(
        '--auto-scale-lr',
        action='store_true',
        help='scale the learning rate by (GPUs x batch per GPU) / the '
        "config's auto_scale_lr.base_batch_size (the paper's total batch)")
    add_common_arguments(parser)
    return parser.parse_args()


def start_over(work_dir: str) -> None:
    """``--start-over``: the earlier run's checkpoints go (one process
    deletes them, the others wait), named in the log."""
    from mmengine.dist import barrier, is_main_process
    from mmengine.logging import print_log
    if is_main_process():
        files = run_files(work_dir)
        for path in files:
            os.remove(path)
        if files:
            print_log('--start-over: deleted ' + ', '.join(files),
                      logger='current')
    barrier()


def main():
    args = parse_args()
    cfg = load_tool_config(args)

    if args.amp:
        enable_amp(cfg)

    if args.auto_scale_lr:
        if 'base_batch_size' not in cfg.get('auto_scale_lr', {}):
            raise ValueError(
                f'--auto-scale-lr: {args.config} has no '
                'auto_scale_lr=dict(base_batch_size=...) to scale from')
        cfg.auto_scale_lr.enable = True

    cfg.resume = args.resume
    if args.resume and args.start_over:
        raise SystemExit('--resume continues a run, --start-over deletes it: '
                         'give one of them')
    if not (args.resume or args.start_over):
        check_fresh_work_dir(cfg.work_dir)
    if args.resume and cfg.get('load_from') is None and osp.isdir(
            cfg.work_dir):
        # the newest complete checkpoint (mmengine would take the newest,
        # even one cut short by a killed job)
        cfg.load_from = last_intact_checkpoint(cfg.work_dir)
    continued = ''
    if args.resume and cfg.get('load_from'):
        continued = check_resume_same_config(cfg.load_from, cfg)
    adapt_to_cpu_distributed(cfg)

    runner = Runner.from_cfg(cfg)
    if args.start_over:
        start_over(runner.work_dir)
    if args.resume and cfg.get('load_from'):
        check_resume_fits(runner.model, cfg.load_from, cfg)
        batch_note = total_batch_note(cfg.load_from, runner.world_size,
                                      cfg.train_dataloader.batch_size)
        if batch_note:
            runner.logger.warning(batch_note)
    if continued:
        runner.logger.info(continued)
    runner.train()
    finish_distributed(runner)


if __name__ == '__main__':
    main()
