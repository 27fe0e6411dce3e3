"""``configs/<task>/paper_results.yml``: the tables, their layouts and the
paper's numbers, read and checked.

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
"""
from typing import List, Optional, Tuple

import yaml


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


def paper_value(value) -> Tuple[Optional[float], Optional[float]]:
    """A ``paper_results.yml`` number, ``x`` or ``[mean, std]``, as
    ``(mean, std)``; ``(None, None)`` when absent."""
    if value is None:
        return None, None
    if isinstance(value, (list, tuple)):
        return float(value[0]), float(value[1])
    return float(value), None


def format_paper_number(mean: Optional[float],
                        std: Optional[float] = None) -> str:
    """A paper number as the paper prints it (3 decimals under 10, else 2;
    its spread to as many), ``mean ± std``; '' when absent."""
    if mean is None:
        return ''

    digits = 3 if abs(mean) < 10 else 2
    return f'{mean:.{digits}f}' + (f' ± {std:.{digits}f}'
                                   if std is not None else '')
