"""Test a checkpoint (flags as mmsegmentation's tools/test.py).

A distilled model is tested as its student alone: the teacher is not built
and its weights are not read (nor the projector's, which the checkpoint
still holds)."""
import argparse
import os.path as osp

from mmengine.runner import Runner

from mmxtkd.apis import (adapt_to_cpu_distributed, add_common_arguments,
                         finish_distributed, load_tool_config)
from mmxtkd.apis.run_checkpoint import check_test_fits
from mmxtkd.models.distillation import without_distillation


def parse_args():
    parser = argparse.ArgumentParser(description='Test (and eval) a model')
    parser.add_argument('config', help='test config file path')
    parser.add_argument('checkpoint', help='checkpoint file')
    parser.add_argument(
        '--work-dir',
        help=('if specified, the evaluation metric results will be dumped'
              'into the directory as json'))
    parser.add_argument(
        '--out',
        type=str,
        help='a pickle file (or a directory, then results.pkl in it) where '
        'the raw predictions are dumped for offline evaluation')
    parser.add_argument(
        '--show', action='store_true', help='show prediction results')
    parser.add_argument(
        '--show-dir',
        help='directory where painted images (every visualization-hook '
        'interval) are saved')
    parser.add_argument(
        '--wait-time', type=float, default=2, help='the interval of show (s)')
    parser.add_argument(
        '--tta', action='store_true', help='Test time augmentation')
    parser.add_argument(
        '--allow-missing', action='store_true',
        help='test even when the checkpoint leaves weights of the model '
        'missing (they stay as initialised); by default that is an error')
    add_common_arguments(parser)
    return parser.parse_args()


def trigger_visualization_hook(cfg, args):
    default_hooks = cfg.default_hooks
    if 'visualization' not in default_hooks:
        raise RuntimeError(
            'VisualizationHook must be included in default_hooks. '
            'refer to usage '
            '"visualization=dict(type=\'VisualizationHook\')"')
    visualization_hook = default_hooks['visualization']
    visualization_hook['draw'] = True
    if args.show:
        visualization_hook['show'] = True
        visualization_hook['wait_time'] = args.wait_time
    if args.show_dir:
        visualizer = cfg.visualizer
        visualizer['save_dir'] = args.show_dir
    return cfg


def main():
    args = parse_args()
    cfg = load_tool_config(args)
    cfg.load_from = args.checkpoint
    student_only = without_distillation(cfg.model)
    distilled = student_only != cfg.model.to_dict()
    cfg.model = student_only

    if args.show or args.show_dir:
        cfg = trigger_visualization_hook(cfg, args)

    if args.tta:
        if 'tta_model' not in cfg or 'tta_pipeline' not in cfg:
            raise RuntimeError(f'{args.config} defines no tta_model / '
                               'tta_pipeline, so --tta cannot be used')
        cfg.test_dataloader.dataset.pipeline = cfg.tta_pipeline
        cfg.tta_model.module = cfg.model
        cfg.model = cfg.tta_model

    if args.out is not None:
        out = args.out if args.out.endswith(('.pkl', '.pickle')) else \
            osp.join(args.out, 'results.pkl')
        evaluators = cfg.test_evaluator
        if not isinstance(evaluators, list):
            evaluators = [evaluators]
        cfg.test_evaluator = evaluators + [
            dict(type='DumpResults', out_file_path=out)]

    adapt_to_cpu_distributed(cfg)
    runner = Runner.from_cfg(cfg)
    if distilled:
        runner.logger.info('testing the student alone: the teacher and the '
                           'projector are not built (their weights are not '
                           'needed)')
    check_test_fits(runner.model.module if args.tta else runner.model,
                    args.checkpoint, args.allow_missing)
    runner.test()
    finish_distributed(runner)


if __name__ == '__main__':
    main()
