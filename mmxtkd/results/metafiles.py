"""OpenMMLab model-zoo metafiles (``configs/<task>/metafile.yml``, imported
by ``model-index.yml``), written from ``configs/<task>/paper_results.yml``:
one ``Models`` entry per config of the family, with the paper's cell of
each table that holds it as its ``Results``. ``Config`` is relative to the
repository (and to ``mmxtkd/.mim/``, where mmengine's ``get_config`` looks
it up), ``README`` to the metafile (where modelindex checks it). mmxtkd
ships no trained weights, so no entry has ``Weights``.

A ``paper_results.yml`` names its family in a ``collection`` section::

    collection:
      name: mmxtkd-depth
      task: Depth Estimation
      paper: Learning to Project for Cross-Task Knowledge Distillation
      datasets: {.: NYUv2}        # config sub-folder -> data set
      demos: {synthetic: 'synthetic rooms, NYUv2 layout'}

``demos`` are sub-folders of configs listed without paper cells (the demos'
twins on synthetic data share their names with the paper's configs).
"""
import glob
import os.path as osp
from typing import Dict, List

import yaml

from .paper_results import load_paper_tables, paper_value

HEADER = (
    '# Written from paper_results.yml by tools/analysis/collect_results.py '
    '--paper-only\n# --write; do not edit. mmxtkd ships no trained weights: '
    "the Results are the\n# paper's table cells for each config (its mean "
    'where it gives a spread), not\n# the scores of released checkpoints, '
    'and no entry has Weights.\n')


def family_configs(folder: str, datasets: Dict[str, str]) -> List[str]:
    """The configs of ``folder`` in the sub-folders ``datasets`` names
    (``.`` for the folder itself), relative to it, sorted."""
    found = []
    for sub in datasets:
        pattern = osp.join(folder, sub, '*.py')
        found += [osp.relpath(p, folder) for p in glob.glob(pattern)]
    return sorted(found)


def _cells(spec: dict, stem: str) -> List[dict]:
    """``{'tables': [...], 'metrics': {...}}`` of each distinct paper cell
    of the config named ``stem``, in the order of the tables."""
    cells: List[dict] = []
    for name, table in spec['tables'].items():
        values = table.get('paper', {}).get(stem)
        if not values:
            continue
        metrics = {m: paper_value(v)[0] for m, v in values.items()}
        same = [c for c in cells if c['metrics'] == metrics]
        if same:
            same[0]['tables'].append(name)
        else:
            cells.append(dict(tables=[name], metrics=metrics))
    return cells


def metafile(paper_file: str) -> dict:
    """The metafile of the family of ``paper_file`` as a dict."""
    spec = load_paper_tables(paper_file)
    if 'collection' not in spec:
        raise ValueError(f'{paper_file} has no collection section (name, '
                         'task, paper, datasets)')
    meta = spec['collection']
    folder = osp.dirname(paper_file)
    task = osp.basename(folder)
    folders = dict(meta['datasets'], **meta.get('demos', {}))
    models = []
    for rel in family_configs(folder, folders):
        sub = osp.dirname(rel) or '.'
        dataset = folders[sub]
        stem = osp.splitext(osp.basename(rel))[0]
        cells = _cells(spec, stem) if sub in meta['datasets'] else []
        model = {
            'Name': osp.splitext(rel)[0],
            'In Collection': meta['name'],
            'Config': f'configs/{task}/{rel}',
            'Metadata': {'Training Data': dataset},
        }
        if cells:
            model['Metadata']['Paper Tables'] = [
                t for c in cells for t in c['tables']]
            model['Results'] = [{'Task': meta['task'], 'Dataset': dataset,
                                 'Metrics': c['metrics']} for c in cells]
        models.append(model)
    return {
        'Collections': [{
            'Name': meta['name'],
            'Metadata': {'Training Data': sorted(set(folders.values()))},
            'Paper': meta['paper'],
            'README': 'README.md',  # modelindex resolves it from here
        }],
        'Models': models,
    }


def render_metafile(paper_file: str) -> str:
    """``metafile(paper_file)`` as the text of ``metafile.yml``."""
    return HEADER + yaml.safe_dump(metafile(paper_file), sort_keys=False,
                                   allow_unicode=True, width=79)
