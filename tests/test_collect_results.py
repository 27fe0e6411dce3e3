"""tools/analysis/collect_results.py on work dirs written here in the layout
mmengine leaves (the dumped config, <timestamp>/vis_data/scalars.json), with
the expected numbers worked out by hand; and the READMEs' paper tables,
written from each configs/*/paper_results.yml by the paper-only mode."""
import glob
import json
import os
import os.path as osp
import re

import pytest
import yaml

from conftest import REPO, run_script
from mmxtkd.results.paper_results import load_paper_tables, table_configs
from mmxtkd.results.paper_tables import (paper_table_markdown,
                                         tables_with_numbers,
                                         write_readme_tables)
from mmxtkd.results.statistics import improvement

TOOL = osp.join(REPO, 'tools', 'analysis', 'collect_results.py')
PAPER_FILES = sorted(glob.glob(osp.join(REPO, 'configs', '*',
                                        'paper_results.yml')))


def write_run(root, name, config, seed, evaluations, data_root='data/nyu',
              stamp='20261101_120000'):
    """A work dir as tools/train.py leaves it: ``<config>.py`` and
    ``<stamp>/vis_data/scalars.json`` with a training record, then each
    evaluation ``(step, {key: value})``."""
    work = osp.join(root, name)
    os.makedirs(osp.join(work, stamp, 'vis_data'), exist_ok=True)
    with open(osp.join(work, f'{config}.py'), 'w') as f:
        f.write(f"randomness = dict(seed={seed})\n"
                f"train_dataloader = dict(dataset=dict(data_root="
                f"'{data_root}'))\n")
    with open(osp.join(work, stamp, 'vis_data', 'scalars.json'), 'a') as f:
        for step, metrics in evaluations:
            f.write(json.dumps({'lr': 1e-4, 'loss': 1.0, 'iter': step,
                                'step': step}) + '\n')
            f.write(json.dumps(dict(metrics, data_time=0.1, time=0.2,
                                    step=step)) + '\n')
    return work


def depth(d1, abs_rel, rmse):
    return {'d1': d1, 'abs_rel': abs_rel, 'rmse': rmse, 'd2': 0.9}


@pytest.fixture
def random_teacher_runs(tmp_path):
    """Table S7's FitNets rows: traditional over seeds 0, 1; inverted over
    seeds 0, 1, 2; the baseline once, evaluated at steps 10 and 20."""
    root = str(tmp_path / 'work_dirs')
    for seed, (d1, rel, rms) in enumerate([(0.82, 0.135, 0.46),
                                           (0.83, 0.133, 0.45)]):
        write_run(root, f'trad/seed{seed}', 'mbv2_random-teacher_traditional',
                  seed, [(20, depth(d1, rel, rms))])
    for seed, (d1, rel, rms) in enumerate([(0.85, 0.124, 0.430),
                                           (0.86, 0.122, 0.432),
                                           (0.84, 0.126, 0.434)]):
        write_run(root, f'inv/seed{seed}', 'mbv2_random-teacher_inverted',
                  seed, [(20, depth(d1, rel, rms))])
    write_run(root, 'base', 'mbv2_baseline', 0,
              [(10, depth(0.70, 0.200, 0.60)), (20, depth(0.80, 0.140, 0.47))])
    return root


def row(output: str, start: str) -> list:
    """The cells of the markdown row whose text starts with ``start``."""
    lines = [line for line in output.splitlines()
             if line.startswith('| ' + start)]
    assert len(lines) == 1, (start, output)
    return [c.strip() for c in lines[0].strip('|').split('|')]


def test_table_1_layout_with_seeds_and_improvement(random_teacher_runs):
    out = run_script(TOOL, random_teacher_runs, '--table', 'S7')
    assert '### depth/S7: Random teacher' in out
    head = row(out, 'Method')
    assert head == ['Method', 'Projection', 'd1', 'd1 (paper)', 'AbsRel',
                    'AbsRel (paper)', 'RMS', 'RMS (paper)']
    # baseline: the last evaluation (step 20), one run; paper 0.845 ± 0.007
    assert row(out, 'No teacher') == [
        'No teacher (baseline)', '`mbv2_baseline`', '0.8000 (n=1)',
        '0.845 ± 0.007', '0.1400 (n=1)', '0.127 ± 0.003', '0.4700 (n=1)',
        '0.440 ± 0.005']
    # traditional: d1 mean 0.825, sample std |0.82 - 0.83| / sqrt(2)
    trad = row(out, 'FitNets | Traditional')
    assert trad[2:4] == ['0.8250 ± 0.0071 (n=2)', '0.828']
    assert trad[6:8] == ['0.4550 ± 0.0071 (n=2)', '0.455']
    # inverted: RMS 0.430, 0.432, 0.434: mean 0.432, sample std 0.002
    inv = row(out, 'FitNets | Inverted')
    assert inv[1] == 'Inverted (ours) `mbv2_random-teacher_inverted`'
    assert inv[2] == '0.8500 ± 0.0100 (n=3)'
    assert inv[6:8] == ['0.4320 ± 0.0020 (n=3)', '0.431']
    # Improvement: d1 (0.85 - 0.825) / 0.825 = +3.0303 %; RMS lower is
    # better: (0.455 - 0.432) / 0.455 = +5.0549 %; AbsRel (0.134 - 0.124) /
    # 0.134 = +7.4627 %. The paper's from its rounded numbers: d1 (0.851 -
    # 0.828) / 0.828 = 2.78 %, RMS (0.455 - 0.431) / 0.455 = 5.27 %.
    imp = row(out, 'FitNets | Improvement')
    assert imp[2:] == ['3.0303% (n=2)', '2.78%', '7.4627% (n=2)', '7.46%',
                       '5.0549% (n=2)', '5.27%']
    # methods without runs keep the paper's numbers and show none of ours
    assert row(out, 'AT | Traditional')[2:4] == ['—', '0.857']


def test_step_csv_and_table_selection(random_teacher_runs):
    out = run_script(TOOL, osp.join(random_teacher_runs, 'base'), '--step',
                     '10', '--table', 'depth/S7', '--format', 'csv')
    lines = out.splitlines()
    assert lines[0] == ('task,table,data_root,row,projection,config,metric,'
                        'mean,std,n,paper,paper_std')
    assert 'depth,S7,data/nyu,No teacher (baseline),,mbv2_baseline,RMS,' \
        '0.6000,,1,0.44,0.005' in lines
    with pytest.raises(ValueError, match='no evaluation at step 15'):
        run_script(TOOL, osp.join(random_teacher_runs, 'base'), '--step', '15')
    with pytest.raises(KeyError, match='no table S99'):
        run_script(TOOL, random_teacher_runs, '--table', 'S99')


def test_tables_shown_are_those_holding_runs(random_teacher_runs):
    out = run_script(TOOL, random_teacher_runs)
    titles = re.findall(r'^### (\S+):', out, re.M)
    # S7 holds the runs; S9-mbv2 lists the baseline among its configs
    assert titles == ['depth/S7', 'depth/S9-mbv2', 'depth/decoders']
    assert 'Runs in no table' not in out


def test_data_roots_are_separate_experiments(tmp_path):
    """ADE20K and COCO runs of one config name are not averaged together."""
    root = str(tmp_path)
    for data, miou in (('data/ade', 30.0), ('data/coco', 40.0)):
        write_run(root, data, 'dlv3-r50_r50-cls-teacher_inverted', 0,
                  [(80, {'mIoU': miou, 'aAcc': 75.0})], data_root=data)
    out = run_script(TOOL, root)
    assert '(data: data/ade)' in out and '(data: data/coco)' in out
    ade, coco = out.split('(data: data/coco)')
    # aAcc 75.0 % is the paper's pixel accuracy 0.750
    assert row(ade, 'classification | Inverted')[2:6] == [
        '30.00 (n=1)', '36.00', '0.7500 (n=1)', '0.766']
    assert row(coco, 'classification | Inverted')[2] == '40.00 (n=1)'


def test_bad_work_dirs_are_named(tmp_path, random_teacher_runs):
    with pytest.raises(FileNotFoundError, match='holds no run'):
        run_script(TOOL, str(tmp_path / 'work_dirs' / 'inv' / 'seed0' /
                             '20261101_120000'))
    work = write_run(str(tmp_path / 'broken'), 'run', 'mbv2_baseline', 0,
                     [(5, depth(0.8, 0.1, 0.4))])
    with open(glob.glob(osp.join(work, '*', 'vis_data',
                                 'scalars.json'))[0], 'a') as f:
        f.write('{"d1": 0.8, "abs_')  # killed while writing
    with pytest.raises(ValueError, match=r'scalars.json:3 is not a JSON line'):
        run_script(TOOL, work)
    unfinished = str(tmp_path / 'unfinished')
    write_run(unfinished, 'run', 'mbv2_baseline', 0, [])
    with pytest.raises(ValueError, match='no evaluation'):
        run_script(TOOL, unfinished)
    two = write_run(str(tmp_path / 'two'), 'run', 'mbv2_baseline', 0,
                    [(5, depth(0.8, 0.1, 0.4))])
    open(osp.join(two, 'mbv2_spectral-r2.py'), 'w').close()
    with pytest.raises(ValueError, match='holds 2 config files'):
        run_script(TOOL, two)


def test_a_repeated_seed_is_warned_about(tmp_path):
    for name in ('a', 'b'):
        write_run(str(tmp_path), name, 'mbv2_spectral-r2', 0,
                  [(5, depth(0.8, 0.1, 0.4))])
    with pytest.warns(UserWarning, match=r'mbv2_spectral-r2: seed\(s\) \[0\]'):
        run_script(TOOL, str(tmp_path))


def test_improvement_is_the_papers():
    """Supplementary table 4's FitNets Abs. Rel.: 0.117 traditional, 0.124
    inverted, printed -6.35 % (-5.98 % from the rounded numbers); d1 0.868,
    0.849: -2.19 % (printed -2.17 %)."""
    assert improvement(0.117, 0.124, 'lower') == pytest.approx(-5.983, 1e-3)
    assert improvement(0.868, 0.849, 'higher') == pytest.approx(-2.189, 1e-3)


# -- the paper's numbers: one file per task, its README written from it -----
@pytest.mark.parametrize('path', PAPER_FILES,
                         ids=[osp.relpath(p, REPO) for p in PAPER_FILES])
def test_readme_paper_tables_are_written_from_the_file(path):
    """Every README's paper tables are what the collator's paper-only mode
    writes from its paper_results.yml, and every config they name exists."""
    spec = load_paper_tables(path)
    folder = osp.dirname(path)
    for table in spec['tables'].values():
        for config in table_configs(table):
            hits = glob.glob(osp.join(folder, '**', f'{config}.py'),
                             recursive=True)
            assert hits, f'{config} of {path} is not a config'
    with open(osp.join(folder, 'README.md'), encoding='utf-8') as f:
        readme = f.read()
    assert tables_with_numbers(spec)
    assert write_readme_tables(path, readme) == readme, (
        f'{folder}/README.md differs from its paper_results.yml: run '
        'python tools/analysis/collect_results.py --paper-only '
        '--write')


PAPER_YML = """\
collection: {name: toy, task: Toy Task, paper: A Paper, datasets: {.: Toy}}
metrics:
  d1: {key: d1, better: higher}
  RMS: {key: rmse, better: lower}
  FID: {key: FID, better: lower}
tables:
  T1:
    title: a projection table
    row_label: teacher
    baseline: base
    rows:
    - [cls, cls_traditional, cls_inverted]
    paper:
      base: {d1: [0.845, 0.007], RMS: 0.44}
      cls_inverted: {d1: 0.85, RMS: 12.345}
  T2:
    configs: [a, b]
    paper:
      b: {RMS: 0.3}
  T3:
    title: ours alone, no paper numbers
    configs: [c]
"""


def test_paper_only_tables_by_hand(tmp_path):
    """A projection table: the baseline row, then traditional and inverted
    side by side, only the metrics the paper gives (not FID), spreads to
    the mean's digits; a configs table; no block for a table without paper
    numbers. A README lacking a block, or holding an unknown one, is an
    error naming it."""
    yml = tmp_path / 'paper_results.yml'
    yml.write_text(PAPER_YML)
    spec = load_paper_tables(str(yml))
    assert paper_table_markdown(spec, spec['tables']['T1']) == (
        '| teacher | traditional config | d1 | RMS | inverted config | d1 '
        '| RMS |\n'
        '| --- | --- | --- | --- | --- | --- | --- |\n'
        '| no teacher | `base.py` | 0.845 ± 0.007 | 0.440 |  |  |  |\n'
        '| cls | `cls_traditional.py` |  |  | `cls_inverted.py` | 0.850 '
        '| 12.35 |\n')
    assert paper_table_markdown(spec, spec['tables']['T2']) == (
        '| config | RMS |\n| --- | --- |\n| `a.py` |  |\n'
        '| `b.py` | 0.300 |\n')
    stale = ''.join(
        f'intro\n<!-- paper table {n} (old) -->\n| stale |\n'
        f'<!-- end of paper table {n} -->\nnote\n' for n in ('T1', 'T2'))
    written = write_readme_tables(str(yml), stale)
    assert '| stale |' not in written and written.count('intro\n') == 2
    assert paper_table_markdown(spec, spec['tables']['T2']) in written
    assert write_readme_tables(str(yml), written) == written
    with pytest.raises(ValueError, match=r"missing \['T2'\], not in the "
                       r"file \['T9'\]"):
        write_readme_tables(str(yml), stale.replace('T2', 'T9'))


def test_paper_only_mode_writes_the_readme(tmp_path):
    yml = tmp_path / 'paper_results.yml'
    yml.write_text(PAPER_YML)
    readme = tmp_path / 'README.md'
    readme.write_text('<!-- paper table T1 (x) -->\n<!-- end of paper table '
                      'T1 -->\n<!-- paper table T2 (x) -->\n<!-- end of '
                      'paper table T2 -->\n')
    printed = run_script(TOOL, '--paper-only', '--paper', str(yml))
    assert '### T1: a projection table' in printed
    assert '| `cls_inverted.py` | 0.850 | 12.35 |' in printed
    assert 'T3' not in printed
    assert 'rewritten' in run_script(TOOL, '--paper-only', '--write',
                                     '--paper', str(yml))
    text = readme.read_text()
    assert '| `b.py` | 0.300 |' in text
    assert '| no teacher | `base.py` |' in text
    (tmp_path / 'b.py').write_text('')
    run_script(TOOL, '--paper-only', '--write', '--paper', str(yml))
    meta = yaml.safe_load((tmp_path / 'metafile.yml').read_text())
    assert meta['Models'] == [{
        'Name':
        'b',
        'In Collection':
        'toy',
        'Config':
        f'configs/{tmp_path.name}/b.py',
        'Metadata': {
            'Training Data': 'Toy',
            'Paper Tables': ['T2']
        },
        'Results': [{
            'Task': 'Toy Task',
            'Dataset': 'Toy',
            'Metrics': {
                'RMS': 0.3
            }
        }]
    }]
    assert 'unchanged' in run_script(TOOL, '--paper-only', '--write',
                                     '--paper', str(yml))


def test_every_task_has_its_paper_numbers():
    tasks = {osp.basename(osp.dirname(p)) for p in PAPER_FILES}
    assert tasks == {'colourisation', 'depth', 'refilled', 'sat2map', 'seg',
                     'teacher_free'}
