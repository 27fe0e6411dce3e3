"""Each loss term of a config on its own training batches, beside the task
loss: what a 1:1 weighting means at that config's batch size and crop.

    python tools/analysis/loss_magnitudes.py CONFIG [CONFIG ...] \
        [--batches N] [--seed S] [--cfg-options key=value ...]

For every CONFIG (a ``CrossTaskDistiller`` training config), N batches of its
training data (its own pipeline, batch size and crop; shuffled from the
seed) go through the model in ``loss`` mode without autograd, as they would
at the first iteration, and the mean of every loss term is printed with its
ratio to the student's own loss (the terms without ``distill``). The
weights are the config's: pass ``--cfg-options model.teacher.checkpoint=None
model.student.backbone.init_cfg=None`` to measure with random weights where
the files are not at hand (and say so when you quote the numbers).
"""
import argparse
from collections import defaultdict
from typing import Dict

import torch
from mmengine.config import Config, DictAction
from mmengine.registry import DefaultScope
from mmengine.runner import Runner, set_random_seed

import mmxtkd  # noqa: F401  (mmxtkd:: configs, checkpoint types)
from mmxtkd.registry import MODELS, build_in_own_scope


def loss_terms(cfg: Config, batches: int, seed: int) -> Dict[str, float]:
    """The mean over ``batches`` of each loss term of ``cfg``'s model."""
    set_random_seed(seed)
    with DefaultScope.overwrite_default_scope(cfg.get('default_scope')):
        model = build_in_own_scope(MODELS, cfg.model)
        model.init_weights()
        loader = Runner.build_dataloader(cfg.train_dataloader, seed=seed)
    model.train()
    sums: Dict[str, float] = defaultdict(float)
    seen = 0
    with torch.no_grad():
        for batch in loader:
            if seen == batches:
                break
            data = model.data_preprocessor(batch, True)
            for key, value in model(**data, mode='loss').items():
                if 'loss' in key:
                    sums[key] += float(sum(value) if isinstance(
                        value, (list, tuple)) else value)
            seen += 1
    if not seen:
        raise ValueError('the config\'s training data gave no batch')
    return {k: v / seen for k, v in sums.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('configs', nargs='+', metavar='CONFIG')
    parser.add_argument('--batches', type=int, default=2)
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--cfg-options', nargs='+', action=DictAction,
                        help='overrides for every config, as train.py')
    args = parser.parse_args()
    for path in args.configs:
        cfg = Config.fromfile(path)
        if args.cfg_options:
            cfg.merge_from_dict(args.cfg_options)
        terms = loss_terms(cfg, args.batches, args.seed)
        task = sum(v for k, v in terms.items() if 'distill' not in k)
        loader = cfg.train_dataloader
        print(f'{path} (batch {loader.batch_size} per process, '
              f'{args.batches} batches):')
        for key, value in terms.items():
            print(f'  {key:28s} {value:12.5g}   {value / task:10.3g} x task')
        print(f'  {"task loss (sum)":28s} {task:12.5g}')


if __name__ == '__main__':
    main()
