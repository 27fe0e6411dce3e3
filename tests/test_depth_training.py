"""The synthetic depth job through the real tools: dist_train on two CPU
processes, then --resume of the interrupted run, then test.py and
dist_test.sh on its checkpoint; and runs over seeds collated into a
table."""
import glob
import json
import os
import os.path as osp
import re
import subprocess
import sys

import numpy as np
import pytest
import torch

import mmxtkd  # noqa: F401  (allow-lists mmengine checkpoint types)
from conftest import REPO, run_script
from mmxtkd.datasets import make_synthetic_nyu

CONFIG = 'configs/depth/synthetic/mbv2_vitb-cls-teacher_inverted.py'
TWO_TEACHERS = ('configs/depth/synthetic/'
                'mbv2_vitb-cls+dlv3-seg-teachers_inverted.py')


def env(**extra):
    path = osp.dirname(sys.executable) + os.pathsep + os.environ['PATH']
    return dict(os.environ, PYTHONPATH=REPO, PATH=path, **extra)


def options(data_root, max_iters):
    return [
        '--cfg-options', f'train_dataloader.dataset.data_root={data_root}',
        f'val_dataloader.dataset.data_root={data_root}',
        f'test_dataloader.dataset.data_root={data_root}',
        'train_dataloader.batch_size=2', f'train_cfg.max_iters={max_iters}',
        f'train_cfg.val_interval={max_iters}',
        'default_hooks.checkpoint.interval=1', 'custom_hooks.0.interval=1',
        'default_hooks.logger.interval=1'
    ]


# a run in this process: each its own visualizer (mmseg's runtime names one
# 'visualizer' per process), and no worker processes left behind for the
# next model built here to wait on
def in_process(name):
    return [f'visualizer.name={name}'] + [
        f'{loader}_dataloader.{key}' for loader in ('train', 'val', 'test')
        for key in ('num_workers=0', 'persistent_workers=False')]


def run(cmd, **kwargs):
    out = subprocess.run(cmd, cwd=REPO, env=env(**kwargs), capture_output=True,
                         text=True)
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-5000:]
    return out.stdout + out.stderr


@pytest.fixture(scope='module')
def data_root(tmp_path_factory):
    root = str(tmp_path_factory.mktemp('synthetic'))
    # 3 test frames: not a multiple of 2 processes
    make_synthetic_nyu(root, train_scenes=2, test_scenes=1, frames_per_scene=3,
                       size=(96, 128))
    return root


@pytest.fixture(scope='module')
def interrupted_then_resumed(data_root, tmp_path_factory):
    """The demo config on 2 CPU processes to iteration 2, then resumed on
    one to 3: (work dir, first log, resumed log)."""
    work = str(tmp_path_factory.mktemp('work_dirs') / 'inverted')
    first = run(
        ['bash', 'tools/dist_train.sh', CONFIG, '2', '--work-dir', work] +
        options(data_root, 2),
        PORT='29617')
    resumed = run_script(osp.join(REPO, 'tools/train.py'), CONFIG,
                         '--work-dir', work, '--resume',
                         *options(data_root, 3), *in_process('resumed'))
    return work, first, resumed


def test_dist_train_then_resume(interrupted_then_resumed):
    work, log, resumed = interrupted_then_resumed
    assert 'distributed run on CPU processes over gloo' in log
    assert 'd1:' in log  # evaluated at the end
    assert osp.isfile(osp.join(work, 'iter_2.pth'))

    assert 'resumed' in resumed.lower()
    assert 'Iter(train) [3/3]' in resumed
    assert 'Iter(train) [1/3]' not in resumed
    ckpt = torch.load(osp.join(work, 'iter_3.pth'), map_location='cpu',
                      weights_only=True)
    assert ckpt['meta']['iter'] == 3
    # the OneCycle scheduler went on from where it stopped
    assert ckpt['param_schedulers'][0]['last_step'] == 3
    assert not any(k.startswith('distill.teacher') for k in ckpt['state_dict'])


def test_dist_test_gives_test_py_metrics(data_root, interrupted_then_resumed,
                                         tmp_path):
    """tools/dist_test.sh on 2 processes and tools/test.py on the same
    checkpoint and 3 test frames (the sampler pads to 4; the padding must
    not be counted) report the same metrics."""
    ckpt = osp.join(interrupted_then_resumed[0], 'iter_3.pth')

    def metrics(log):
        line = [x for x in log.splitlines() if 'Iter(test)' in x
                and 'abs_rel:' in x][-1]
        found = dict(re.findall(r'(\w+): (-?[0-9.]+)', line.split(']')[-1]))
        return {k: v for k, v in found.items() if 'time' not in k}

    one = run_script(osp.join(REPO, 'tools/test.py'), CONFIG, ckpt,
                     '--work-dir', str(tmp_path / 'one'),
                     *options(data_root, 3), *in_process('test_one'))
    two = run(['bash', 'tools/dist_test.sh', CONFIG, ckpt, '2', '--work-dir',
               str(tmp_path / 'two')] + options(data_root, 3),
              PORT='29619')
    assert 'distributed run on CPU processes over gloo' in two
    expected = metrics(one)
    assert {'d1', 'abs_rel', 'rmse'} <= set(expected)
    assert metrics(two) == expected


def test_a_downstream_config_inherits_by_package_path(data_root, tmp_path):
    """A project outside the checkout: its config inherits an mmxtkd config as
    ``mmxtkd::...`` and overrides one key; mmxtkd's train.py trains it, and a
    script of the project that imports mmxtkd builds it."""
    project = tmp_path / 'my_project'
    project.mkdir()
    (project / 'my_run.py').write_text(
        "_base_ = 'mmxtkd::depth/synthetic/mbv2_spectral-r2.py'\n"
        'model = dict(distill_losses=dict(spectral=dict(rank=3)))\n')
    (project / 'build.py').write_text(
        'import mmxtkd\n'
        'from mmengine.config import Config\n'
        'from mmxtkd.registry import build_in_own_scope\n'
        'from mmengine.registry import MODELS\n'
        "cfg = Config.fromfile('my_run.py')\n"
        'model = build_in_own_scope(MODELS, cfg.model)\n'
        "loss = model.distill.pairs['main'].losses['spectral']\n"
        "print('rank', loss.rank, 'reduction', loss.reduction)\n")
    out = subprocess.run([sys.executable, 'build.py'], cwd=project,
                         env=env(), capture_output=True, text=True)
    assert out.returncode == 0, out.stderr[-3000:]
    assert 'rank 3 reduction rms' in out.stdout
    work = str(tmp_path / 'work')
    no_hooks = [o for o in options(data_root, 1) if 'custom_hooks' not in o]
    out = subprocess.run(
        [sys.executable, osp.join(REPO, 'tools', 'train.py'), 'my_run.py',
         '--work-dir', work] + no_hooks,
        cwd=project, env=env(), capture_output=True, text=True)
    assert out.returncode == 0, out.stderr[-3000:]
    assert 'loss_distill_spectral' in out.stdout + out.stderr


def test_two_teacher_job_logs_each_pair_and_keeps_both_projectors(
        data_root, tmp_path):
    """The two-teacher demo config through tools/train.py: each pair's loss
    and each projector's rank in the log, both projectors (and no teacher)
    in the checkpoint, one spectrum panel per pair."""
    from mmxtkd.visualization import plot_spectrum, read_history
    work = str(tmp_path / 'two_teachers')
    log = run_script(osp.join(REPO, 'tools/train.py'), TWO_TEACHERS,
                     '--work-dir', work, *options(data_root, 2),
                     *in_process('two_teachers'))
    step = next(line for line in log.splitlines()
                if 'Iter(train) [2/2]' in line)
    for key in ('loss_distill_cls_fitnets', 'loss_distill_seg_fitnets',
                'spectral/rank_cls', 'spectral/rank_seg'):
        assert f'{key}: ' in step
    state = torch.load(osp.join(work, 'iter_2.pth'), map_location='cpu',
                       weights_only=True)['state_dict']
    assert {k: tuple(v.shape) for k, v in state.items()
            if k.startswith('distill.')} == {
                'distill.pairs.cls.projector.proj.weight': (1280, 768, 1, 1),
                'distill.pairs.seg.projector.proj.weight': (1280, 2048, 1, 1)}
    assert not any('teacher' in k for k in state)
    # evaluation builds the student alone from the same checkpoint
    tested = run_script(osp.join(REPO, 'tools/test.py'), TWO_TEACHERS,
                        osp.join(work, 'iter_2.pth'), '--work-dir',
                        str(tmp_path / 'test'), *options(data_root, 2),
                        *in_process('two_teachers_test'))
    assert 'the student alone' in tested and 'd1: ' in tested
    history = read_history(osp.join(work, 'spectral_history.jsonl'))
    assert sorted(history) == ['cls', 'seg']
    assert [r['iter'] for r in history['seg']] == [1, 2]
    plot = str(tmp_path / 'spectrum.png')
    plot_spectrum(history, plot)
    import cv2
    assert cv2.imread(plot).shape[1] == 2 * 5 * 120  # a panel per pair


def test_seeds_then_the_collated_table(data_root, interrupted_then_resumed):
    """The synthetic baseline trained with seeds 0 and 1 (tools/train.py in
    this process, as dist_seeds.sh runs it) beside the (resumed) run of the
    inverted demo config: the collator prints table S6's layout (the
    classification-teacher rows) with each run's own last evaluation,
    averaged over the seeds."""
    root = osp.dirname(interrupted_then_resumed[0])
    no_spectra = [o for o in options(data_root, 2) if 'custom_hooks' not in o]
    for seed in (0, 1):
        run_script(osp.join(REPO, 'tools', 'train.py'),
                   'configs/depth/synthetic/mbv2_baseline.py', '--work-dir',
                   osp.join(root, 'mbv2_baseline', f'seed{seed}'),
                   *no_spectra, f'randomness.seed={seed}',
                   *in_process(f'baseline_seed{seed}'))
    out = run_script(osp.join(REPO, 'tools', 'analysis',
                              'collect_results.py'), root, '--table', 'S6')

    def final_rms(work):  # over its launches, in time order
        records = [
            json.loads(line) for path in sorted(
                glob.glob(
                    osp.join(root, work, '*', 'vis_data', 'scalars.json')))
            for line in open(path)
        ]
        return [r['rmse'] for r in records if 'iter' not in r][-1]

    seeds = [final_rms(f'mbv2_baseline/seed{s}') for s in (0, 1)]
    assert seeds[0] != seeds[1]  # the seed reached the runs
    baseline = [c.strip() for c in next(
        line for line in out.splitlines()
        if line.startswith('| No teacher')).strip('|').split('|')]
    assert baseline[6] == (f'{np.mean(seeds):.4f} ± '
                           f'{np.std(seeds, ddof=1):.4f} (n=2)')
    inverted = next(line for line in out.splitlines()
                    if line.startswith('| FitNets | Inverted'))
    assert f'{final_rms("inverted"):.4f} (n=1)' in inverted
    assert '| FitNets | Improvement % | — |' in out  # no traditional run


def test_dist_seeds_runs_each_seed_into_its_own_work_dir(tmp_path):
    """tools/dist_seeds.sh with dist_train.sh replaced by a recorder: one
    launch per seed, in order, each with its work dir and seed after the
    user's options; a failing seed stops the loop with its exit code."""
    tools = tmp_path / 'tools'
    tools.mkdir()
    (tools / 'dist_seeds.sh').write_text(
        open(osp.join(REPO, 'tools', 'dist_seeds.sh')).read())
    (tools / 'dist_train.sh').write_text(
        'echo "$@" >> "$LAUNCHES"\n'
        '[ -z "$FAIL_ON" ] || ! grep -q "seed=$FAIL_ON" <<< "$*" || exit 3\n')
    launches = tmp_path / 'launches'
    cmd = ['bash', str(tools / 'dist_seeds.sh'), 'configs/depth/x.py', '3',
           '8', '--amp', '--cfg-options', 'a=1']
    out = subprocess.run(cmd, env=env(LAUNCHES=str(launches)),
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert launches.read_text().splitlines() == [
        f'configs/depth/x.py 8 --work-dir work_dirs/depth/x/seed{k} --amp '
        f'--cfg-options a=1 --cfg-options randomness.seed={k}'
        for k in range(3)]
    assert '== depth/x, seed 2 of 0..2: work_dirs/depth/x/seed2' in out.stdout
    launches.unlink()
    out = subprocess.run(cmd, env=env(LAUNCHES=str(launches), FAIL_ON='1',
                                      WORK_ROOT='/runs/x'),
                         capture_output=True, text=True)
    assert out.returncode == 3
    assert [line.split()[3] for line in launches.read_text().splitlines()
            ] == ['/runs/x/seed0', '/runs/x/seed1']


FOUNDATION_TWINS = {
    'dinov2-b': 'Dinov2Model',
    'segformer-b2-ade': 'SegformerForSemanticSegmentation',
    'depth-anything-v2-s': 'DepthAnythingForDepthEstimation'}


@pytest.mark.parametrize('teacher', sorted(FOUNDATION_TWINS))
def test_a_foundation_teachers_synthetic_twin_trains(data_root, tmp_path,
                                                     teacher):
    """Each transformers teacher family's synthetic twin (a tiny random
    model of the family, from its config) through tools/train.py."""
    import transformers
    if not hasattr(transformers, FOUNDATION_TWINS[teacher]):
        pytest.skip(f'transformers {transformers.__version__} has no '
                    f'{FOUNDATION_TWINS[teacher]}')
    config = f'configs/depth/synthetic/mbv2_{teacher}-teacher_inverted.py'
    work = str(tmp_path / teacher)
    log = run_script(osp.join(REPO, 'tools/train.py'), config, '--work-dir',
                     work, *options(data_root, 2),
                     *in_process(f'twin_{teacher}'))
    step = next(line for line in log.splitlines()
                if 'Iter(train) [2/2]' in line)
    assert 'loss_distill_fitnets: ' in step and 'spectral/rank: ' in step
    assert 'ratio/distill_fitnets: ' in step  # its size against the task's
    state = torch.load(osp.join(work, 'iter_2.pth'), map_location='cpu',
                       weights_only=True)['state_dict']
    assert state['distill.pairs.main.projector.proj.weight'].shape[1] == 64
