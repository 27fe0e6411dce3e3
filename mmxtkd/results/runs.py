"""Finished runs of ``tools/train.py``, read back.

A run is a work dir: the config it dumped there (``<config name>.py``) and
mmengine's ``<timestamp>/vis_data/scalars.json``, whose evaluation records
are the lines without an ``iter`` key. Runs of one config on one data root
are one experiment over seeds (mean, sample standard deviation, n).
"""
import glob
import os
import os.path as osp
import re
import warnings
from dataclasses import dataclass, field
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

import numpy as np
from mmengine.config import Config

from mmxtkd.utils.json_lines import read_json_lines

_TIMESTAMP = re.compile(r'^\d{8}_\d{6}$')
#: keys of an evaluation record that are not metrics
_NOT_METRICS = ('data_time', 'time', 'step')


@dataclass
class Run:
    """The evaluation of one finished run."""
    work_dir: str
    config: str  #: config name, the dumped file's name without ``.py``
    data_root: str
    seed: Optional[int]
    step: int
    metrics: Dict[str, float]


@dataclass
class Experiment:
    """The runs of one config on one data root."""
    config: str
    data_root: str
    runs: List[Run] = field(default_factory=list)

    def stats(self, key: str) -> Optional[Tuple[float, Optional[float], int]]:
        """``(mean, sample std or None for one run, n)`` of metric ``key``
        over the runs that report it, or None."""
        values = [r.metrics[key] for r in self.runs if key in r.metrics]
        if not values:
            return None
        std = float(np.std(values, ddof=1)) if len(values) > 1 else None
        return float(np.mean(values)), std, len(values)


def is_run_dir(path: str) -> bool:
    return bool(glob.glob(osp.join(path, '*.py'))) and any(
        _TIMESTAMP.match(d) for d in os.listdir(path))


def find_run_dirs(paths: Iterable[str]) -> List[str]:
    """The run dirs at or below each path (a work dir, or a folder of them,
    such as ``tools/dist_seeds.sh``'s ``work_dirs/<task>/<config>/``)."""
    found = []
    for path in paths:
        if not osp.isdir(path):
            raise FileNotFoundError(f'no such work dir: {path}')
        here = [root for root, dirs, _ in os.walk(path) if is_run_dir(root)]
        if not here:
            raise FileNotFoundError(
                f'{path} holds no run of tools/train.py (a work dir with the '
                'dumped <config>.py and <timestamp>/vis_data/scalars.json)')
        found += sorted(here)
    return found


def evaluations(work_dir: str) -> List[dict]:
    """The evaluation records of a run, oldest first, over every launch in
    it (a resumed run writes a new timestamp folder)."""
    records = []
    stamps = sorted(d for d in os.listdir(work_dir) if _TIMESTAMP.match(d))
    for stamp in stamps:
        path = osp.join(work_dir, stamp, 'vis_data', 'scalars.json')
        if osp.isfile(path):
            records += [r for r in read_json_lines(path) if 'iter' not in r]
    return records


def read_run(work_dir: str, step: Optional[int] = None) -> Run:
    """The run in ``work_dir``: its last evaluation, or the one at ``step``
    (the last of those if it was evaluated there more than once)."""
    dumped = glob.glob(osp.join(work_dir, '*.py'))
    if len(dumped) != 1:
        raise ValueError(
            f'{work_dir} holds {len(dumped)} config files '
            f'({", ".join(osp.basename(d) for d in dumped)}); a work dir of '
            'one config has one: give each run its own --work-dir')
    records = evaluations(work_dir)
    if step is not None:
        records = [r for r in records if r.get('step') == step]
    if not records:
        at = f' at step {step}' if step is not None else ''
        raise ValueError(f'{work_dir} has no evaluation{at} in its '
                         'scalars.json: an unfinished run?')
    cfg = Config.fromfile(dumped[0], import_custom_modules=False)
    data = cfg.get('train_dataloader', {}).get('dataset', {})
    return Run(
        work_dir=work_dir,
        config=osp.splitext(osp.basename(dumped[0]))[0],
        data_root=str(data.get('data_root', '')),
        seed=cfg.get('randomness', {}).get('seed'),
        step=records[-1].get('step', -1),
        metrics={k: float(v) for k, v in records[-1].items()
                 if k not in _NOT_METRICS and isinstance(v, (int, float))})


def group_runs(runs: Sequence[Run]) -> Dict[Tuple[str, str], Experiment]:
    """Runs by (config, data root); runs of one experiment with the same
    seed are warned about (a repeated seed is not another sample)."""
    groups: Dict[Tuple[str, str], Experiment] = {}
    for run in runs:
        key = (run.config, run.data_root)
        groups.setdefault(key, Experiment(*key)).runs.append(run)
    for exp in groups.values():
        seeds = [r.seed for r in exp.runs]
        repeated = {s for s in seeds if s is not None and seeds.count(s) > 1}
        if repeated:
            warnings.warn(
                f'{exp.config}: seed(s) {sorted(repeated)} appear in more '
                'than one run (' + ', '.join(
                    r.work_dir for r in exp.runs if r.seed in repeated) +
                '); they are counted as separate runs')
    return groups
