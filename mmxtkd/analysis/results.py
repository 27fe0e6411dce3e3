"""The paper's tables from finished runs.

A run is a work dir of ``tools/train.py``: the config it dumped there
(``<config name>.py``) and mmengine's ``<timestamp>/vis_data/scalars.json``,
whose evaluation records are the lines without an ``iter`` key. Runs of one
config on one data root are one experiment over seeds (mean, sample
standard deviation, n). The tables, their layouts and the paper's numbers
are read from ``configs/<task>/paper_results.yml``:

.. code-block:: yaml

    metrics:            # column -> scalars.json key, which way is better
      RMS: {key: rmse, better: lower}
    tables:
      random-teacher:   # rows: method, traditional config, inverted config
        title: ...
        baseline: mbv2_baseline
        rows: [[FitNets, mbv2_random-teacher_traditional, ...]]
        paper: {mbv2_baseline: {RMS: [0.440, 0.005]}, ...}
      spectral:         # one row per config
        configs: [swinv2b_baseline, ...]
        paper: {...}

*Improvement* is the paper's: the change of inverted over traditional in
percent of traditional, with the sign flipped for lower-is-better metrics.
"""
import csv
import glob
import io
import math
import os
import os.path as osp
import re
import warnings
from dataclasses import dataclass, field
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

import numpy as np
import yaml
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


def load_paper_tables(path: str) -> dict:
    """A ``paper_results.yml``, checked: every metric says which key and
    which way is better, every table has rows or configs, and its paper
    numbers are of its configs and metrics."""
    with open(path) as f:
        spec = yaml.safe_load(f)
    spec['tables'] = {str(k): v for k, v in spec['tables'].items()}
    for name, metric in spec['metrics'].items():
        if ('key' not in metric
                or metric.get('better') not in ('higher', 'lower')):
            raise ValueError(f'{path}: metric {name} needs key and better: '
                             'higher|lower')
    for name, table in spec['tables'].items():
        if ('rows' in table) == ('configs' in table):
            raise ValueError(f'{path}: table {name} needs rows or configs')
        known = set(table_configs(table))
        for config, values in table.get('paper', {}).items():
            if config not in known:
                raise ValueError(f'{path}: table {name} has paper numbers of '
                                 f'{config}, which is not in the table')
            unknown = set(values) - set(spec['metrics'])
            if unknown:
                raise ValueError(f'{path}: table {name}, {config}: unknown '
                                 f'metrics {sorted(unknown)}')
    return spec


def table_configs(table: dict) -> List[str]:
    """The config names of a table, in its order."""
    names = [table['baseline']] if table.get('baseline') else []
    for row in table.get('rows', []):
        names += [c for c in row[1:] if c]
    return names + list(table.get('configs', []))


def improvement(traditional: float, inverted: float, better: str) -> float:
    """The paper's Improvement %: inverted over traditional, in percent of
    traditional, positive when inverted is better."""
    change = 100.0 * (inverted - traditional) / abs(traditional)
    return change if better == 'higher' else -change


@dataclass
class Cell:
    """One metric of one table row: ours (mean, std, n) and the paper's."""
    mean: Optional[float] = None
    std: Optional[float] = None
    n: int = 0
    paper: Optional[float] = None
    paper_std: Optional[float] = None


def paper_value(value) -> Tuple[Optional[float], Optional[float]]:
    """A ``paper_results.yml`` number, ``x`` or ``[mean, std]``, as
    ``(mean, std)``; ``(None, None)`` when absent."""
    if value is None:
        return None, None
    if isinstance(value, (list, tuple)):
        return float(value[0]), float(value[1])
    return float(value), None


def _cells(spec: dict, table: dict, config: Optional[str],
           runs: Dict[str, Experiment]) -> Dict[str, Cell]:
    cells = {}
    paper = table.get('paper', {}).get(config, {}) if config else {}
    for name, metric in spec['metrics'].items():
        cell = Cell()
        cell.paper, cell.paper_std = paper_value(paper.get(name))
        stats = runs[config].stats(metric['key']) if config in runs else None
        if stats:
            scale = metric.get('scale', 1.0)
            cell.mean = stats[0] * scale
            cell.std = stats[1] * scale if stats[1] is not None else None
            cell.n = stats[2]
        cells[name] = cell
    return cells


def _improvement_cells(spec: dict, trad: Dict[str, Cell],
                       inv: Dict[str, Cell]) -> Dict[str, Cell]:
    out = {}
    for name, metric in spec['metrics'].items():
        cell = Cell()
        t, i = trad[name], inv[name]
        if t.mean is not None and i.mean is not None:
            cell.mean = improvement(t.mean, i.mean, metric['better'])
            cell.n = min(t.n, i.n)
        if t.paper is not None and i.paper is not None:
            cell.paper = improvement(t.paper, i.paper, metric['better'])
        out[name] = cell
    return out


def table_rows(spec: dict, table: dict, runs: Dict[str, Experiment]
               ) -> List[Tuple[str, str, str, Dict[str, Cell]]]:
    """``(row label, projection, config, cells)`` in the table's layout:
    the baseline, then for each method its traditional, inverted and
    Improvement rows (paper table 1), or one row per config."""
    rows = []
    if table.get('baseline'):
        rows.append(('No teacher (baseline)', '', table['baseline'],
                     _cells(spec, table, table['baseline'], runs)))
    for label, trad, inv in table.get('rows', []):
        trad_cells = _cells(spec, table, trad, runs)
        inv_cells = _cells(spec, table, inv, runs)
        rows.append((label, 'Traditional', trad or '', trad_cells))
        rows.append((label, 'Inverted (ours)', inv or '', inv_cells))
        rows.append((label, 'Improvement %', '',
                     _improvement_cells(spec, trad_cells, inv_cells)))
    for config in table.get('configs', []):
        rows.append((config, '', config, _cells(spec, table, config, runs)))
    return rows


def _number(value: Optional[float]) -> str:
    if value is None or not math.isfinite(value):
        return '' if value is None else str(value)
    return f'{value:.4f}' if abs(value) < 10 else f'{value:.2f}'


def _ours(cell: Cell, percent: bool) -> str:
    if cell.mean is None:
        return '—'
    text = _number(cell.mean) + ('%' if percent else '')
    if cell.std is not None:
        text += f' ± {_number(cell.std)}'
    return f'{text} (n={cell.n})'


def format_paper_number(mean: Optional[float],
                        std: Optional[float] = None) -> str:
    """A paper number as the paper prints it (3 decimals under 10, else 2;
    its spread to as many), ``mean ± std``; '' when absent."""
    if mean is None:
        return ''

    digits = 3 if abs(mean) < 10 else 2
    return f'{mean:.{digits}f}' + (f' ± {std:.{digits}f}'
                                   if std is not None else '')


def _paper(cell: Cell, percent: bool) -> str:
    if percent and cell.paper is not None:
        return f'{cell.paper:.2f}%'
    return format_paper_number(cell.paper, cell.paper_std)


IMPROVEMENT_NOTE = (
    "Improvement % (paper) is computed from the paper's rounded numbers "
    '(the paper computed its own from unrounded ones: they may differ in '
    'the second digit).')


def render_markdown(spec: dict, title: str,
                    rows: List[Tuple[str, str, str, Dict[str, Cell]]]) -> str:
    metrics = list(spec['metrics'])
    paired = any(projection for _, projection, _, _ in rows)
    head = (['Method', 'Projection'] if paired else ['Config'])
    for name in metrics:
        head += [name, f'{name} (paper)']
    lines = [f'### {title}', '', '| ' + ' | '.join(head) + ' |',
             '|' + '---|' * len(head)]
    for label, projection, config, cells in rows:
        percent = projection == 'Improvement %'
        named = f'`{config}`' if config else ''
        left = ([label, ' '.join(filter(None, [projection, named]))]
                if paired else [named])
        for name in metrics:
            left += [_ours(cells[name], percent), _paper(cells[name], percent)]
        lines.append('| ' + ' | '.join(left) + ' |')
    if paired:
        lines += ['', IMPROVEMENT_NOTE]
    return '\n'.join(lines) + '\n'


def render_csv(spec: dict, task: str, table: str, data_root: str,
               rows: List[Tuple[str, str, str, Dict[str, Cell]]]) -> str:
    """One line per row and metric: the table, the data root, the row, the
    config, the metric, ours (mean, std, n) and the paper's."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator='\n')
    for label, projection, config, cells in rows:
        for name, cell in cells.items():
            writer.writerow([
                task, table, data_root, label, projection, config, name,
                _number(cell.mean), _number(cell.std), cell.n,
                '' if cell.paper is None else f'{cell.paper:g}',
                '' if cell.paper_std is None else f'{cell.paper_std:g}'
            ])
    return out.getvalue()


CSV_HEADER = ('task,table,data_root,row,projection,config,metric,mean,std,n,'
              'paper,paper_std\n')


def collect(work_dirs: Sequence[str], paper_files: Sequence[str],
            table: Optional[str] = None, fmt: str = 'markdown',
            step: Optional[int] = None) -> str:
    """The tables that hold any of the runs below ``work_dirs`` other than
    their baseline's (or only ``table``: ``name`` or ``task/name``), in
    ``fmt``; then the runs that no table shown holds."""
    runs = [read_run(d, step) for d in find_run_dirs(work_dirs)]
    groups = group_runs(runs)
    placed, parts = set(), [] if fmt == 'markdown' else [CSV_HEADER]
    chosen = []
    for path in paper_files:
        task = osp.basename(osp.dirname(path))
        spec = load_paper_tables(path)
        for name, tab in spec['tables'].items():
            if table in (None, name, f'{task}/{name}'):
                chosen.append((task, name, spec, tab))
    if table is not None and not chosen:
        raise KeyError(f'no table {table} in ' + ', '.join(paper_files))
    for task, name, spec, tab in chosen:
        configs = set(table_configs(tab))
        # a table is shown for its runs other than of its baseline (which
        # many tables share), or when asked for
        shown = configs - {tab.get('baseline')} if table is None else configs
        roots = sorted({root for config, root in groups if config in shown})
        if table is not None and not roots:
            roots = ['']
        for root in roots:
            by_config = {c: e for (c, r), e in groups.items() if r == root}
            placed |= {(c, root) for c in configs}
            rows = table_rows(spec, tab, by_config)
            if fmt == 'csv':
                parts.append(render_csv(spec, task, name, root, rows))
                continue
            title = f'{task}/{name}: {tab.get("title", name)}'
            parts.append(render_markdown(
                spec, title + (f' (data: {root})' if len(roots) > 1 else ''),
                rows))
    rest = sorted(set(groups) - placed)
    if rest and fmt == 'markdown':
        parts.append('Runs in no table: ' + ', '.join(
            f'{c} ({len(groups[(c, r)].runs)} run(s), data {r})'
            for c, r in rest) + '\n')
    return '\n'.join(parts) if fmt == 'markdown' else ''.join(parts)
