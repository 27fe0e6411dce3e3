"""The paper's tables from finished runs: each row's cells, ours beside the
paper's, as markdown and CSV (``tools/analysis/collect_results.py``).

*Improvement* is the paper's (:func:`~.statistics.improvement`).
"""
import csv
import io
import math
import os.path as osp
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence, Tuple

from .paper_results import (format_paper_number, load_paper_tables,
                            paper_value, table_configs)
from .runs import Experiment, find_run_dirs, group_runs, read_run
from .statistics import improvement


@dataclass
class Cell:
    """One metric of one table row: ours (mean, std, n) and the paper's."""
    mean: Optional[float] = None
    std: Optional[float] = None
    n: int = 0
    paper: Optional[float] = None
    paper_std: Optional[float] = None


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
