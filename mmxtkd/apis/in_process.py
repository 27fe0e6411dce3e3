"""Training a config inside the running process, recording its
validations (the demos, the cross-task study)."""
from typing import List, Tuple

import numpy as np
from mmengine.config import Config
from mmengine.hooks import Hook
from mmengine.runner import Runner


def as_python_numbers(metrics: dict) -> dict:
    """``metrics`` with numpy scalars as Python numbers (metrics that numpy
    2 keeps in float32 are no JSON otherwise)."""
    return {name: value.item() if isinstance(value, np.generic) else value
            for name, value in (metrics or {}).items()}


class ValidationRecord(Hook):
    """Every validation's metrics, in order, as Python numbers; with
    ``validate_first``, one of the initialised model before training too."""

    priority = 'LOWEST'

    def __init__(self, validate_first: bool = False) -> None:
        self.validate_first = validate_first
        self.metrics: List[dict] = []

    def before_train(self, runner) -> None:
        if self.validate_first:
            runner.val_loop.run()

    def after_val_epoch(self, runner, metrics=None) -> None:
        self.metrics.append(as_python_numbers(metrics))


def train_in_process(cfg: Config, work_dir: str,
                     validate_first: bool = False
                     ) -> Tuple[Runner, List[dict]]:
    """Train ``cfg`` into ``work_dir`` in this process (a visualizer of its
    own, so that several runs may follow each other); the runner and every
    validation's metrics."""
    cfg.work_dir = work_dir
    cfg.visualizer.name = work_dir  # one visualizer per run of the process
    runner = Runner.from_cfg(cfg)
    record = ValidationRecord(validate_first)
    runner.register_hook(record)
    runner.train()
    return runner, record.metrics
