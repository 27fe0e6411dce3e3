"""How fast a config trains, and how long each iteration waits for data:
a config turned into a short timed run, and the summary of its timings."""
import copy
import math
from typing import Dict, Sequence

import numpy as np
import torch
from mmengine.config import Config
from mmengine.hooks import Hook

#: run keys a timed run drops: no validation, no test
_EVALUATION_KEYS = ('val_dataloader', 'val_cfg', 'val_evaluator',
                    'test_dataloader', 'test_cfg', 'test_evaluator')


def without_weight_files(model_cfg: dict) -> dict:
    """A copy of ``model_cfg`` that reads no weight file: every
    ``init_cfg=dict(type='Pretrained', ...)`` becomes ``None`` (the module's
    own random init) and every ``checkpoint`` path (a teacher's) ``None``,
    at any depth. Speed does not depend on the weights' values."""

    def strip(node):
        if isinstance(node, dict):
            out = {}
            for key, value in node.items():
                if key == 'init_cfg' and isinstance(value, dict) and \
                        value.get('type') == 'Pretrained':
                    value = None
                elif key == 'checkpoint' and isinstance(value, str):
                    value = None
                out[key] = strip(value)
            return type(node)(out)
        if isinstance(node, (list, tuple)):
            return type(node)(strip(v) for v in node)
        return node

    return strip(copy.deepcopy(model_cfg))


def passes_for(iters: int, batch: int, processes: int,
               dataset_length: int) -> int:
    """How many times a data set of ``dataset_length`` samples must repeat
    for ``iters`` iterations of ``batch`` per process to fit in one epoch."""
    if dataset_length < 1:
        raise ValueError('the training data set is empty')
    return math.ceil(iters * batch * processes / dataset_length)


def timed_run_config(cfg: Config, iters: int, log_interval: int = 10,
                     random_weights: bool = False,
                     data_passes: int = 1) -> Config:
    """``cfg`` as a timed run of ``iters`` training iterations and nothing
    else: an ``IterBasedTrainLoop``, no validation or test, no checkpoint
    or visualisation files, a constant learning rate (no scheduler: what it
    learns is not measured), the loss log every ``log_interval``
    iterations; the model, data pipeline, loaders, optimizer and custom
    hooks as configured. ``data_passes`` > 1 repeats the training set in
    one epoch (mmengine's ``RepeatDataset``; see :func:`passes_for`): the
    loop pauses 2 s at each new epoch, which a small set would time many
    times over. With ``random_weights``, no weight file is read
    (:func:`without_weight_files`).
    """
    if iters < 1:
        raise ValueError(f'a timed run needs at least one iteration, not '
                         f'{iters}')
    cfg = copy.deepcopy(cfg)
    if data_passes > 1:
        cfg.train_dataloader.dataset = dict(
            type='RepeatDataset', times=data_passes,
            dataset=cfg.train_dataloader.dataset)
    cfg.train_cfg = dict(type='IterBasedTrainLoop', max_iters=iters,
                         val_interval=iters + 1)
    for key in _EVALUATION_KEYS:
        cfg[key] = None
    cfg.param_scheduler = None
    hooks = cfg.get('default_hooks') or {}
    hooks['checkpoint'] = None  # None drops one of mmengine's own hooks,
    hooks.pop('visualization', None)  # a task's must go
    hooks['logger'] = dict(type='LoggerHook', interval=log_interval)
    cfg.default_hooks = hooks
    cfg.log_processor = dict(by_epoch=False, window_size=log_interval)
    cfg.resume, cfg.load_from = False, None
    if random_weights:
        cfg.model = without_weight_files(cfg.model)
    return cfg


def speed_summary(iteration_s: Sequence[float], data_s: Sequence[float],
                  skip: int, images_per_iteration: int) -> Dict[str, float]:
    """The timings of a run (mmengine's ``IterTimerHook``: each iteration's
    seconds, data loading included, and the seconds it waited for its
    batch), without the first ``skip`` iterations (start-up, cudnn's
    autotuning): iterations and images a second, the mean and median
    iteration, the mean wait and the share of the time spent waiting."""
    iteration_s = np.asarray(iteration_s, dtype=float)[skip:]
    data_s = np.asarray(data_s, dtype=float)[skip:]
    if iteration_s.size == 0 or iteration_s.size != data_s.size:
        raise ValueError(
            f'{iteration_s.size} iteration and {data_s.size} data timings '
            f'after skipping {skip}: run more iterations than --skip')
    mean = float(iteration_s.mean())
    return dict(iterations=int(iteration_s.size),
                iterations_per_s=1 / mean,
                images_per_s=images_per_iteration / mean,
                mean_iteration_s=mean,
                median_iteration_s=float(np.median(iteration_s)),
                mean_data_wait_s=float(data_s.mean()),
                data_wait_share=float(data_s.sum() / iteration_s.sum()))


class PeakGPUMemory(Hook):
    """The peak GPU memory allocated over a whole run, in GiB (``peak``).

    mmengine's log processor resets CUDA's peak statistics whenever it logs
    the memory, so the peak read after a run covers only the iterations
    since the last log. Registered above the logger (priority
    ``'ABOVE_NORMAL'``), this hook reads it after every iteration first."""

    priority = 'ABOVE_NORMAL'

    def __init__(self) -> None:
        self.peak = 0.0

    def after_train_iter(self, runner, batch_idx: int, data_batch=None,
                         outputs=None) -> None:
        if torch.cuda.is_available():
            self.peak = max(self.peak,
                            torch.cuda.max_memory_allocated() / 2**30)
