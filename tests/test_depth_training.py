"""The synthetic depth job through the real tools: dist_train on two CPU
processes, then --resume of the interrupted run, then test.py."""
import os
import os.path as osp
import subprocess
import sys

import pytest
import torch

import mmxtkd  # noqa: F401  (allow-lists mmengine checkpoint types)
from conftest import REPO
from mmxtkd.datasets import make_synthetic_nyu

CONFIG = 'configs/depth/synthetic/mbv2_vitb-cls-teacher_inverted.py'


def env(**extra):
    path = osp.dirname(sys.executable) + os.pathsep + os.environ['PATH']
    return dict(os.environ, PYTHONPATH=REPO, PATH=path, **extra)


def options(data_root, max_iters):
    return ['--cfg-options', f'train_dataloader.dataset.data_root={data_root}',
            f'val_dataloader.dataset.data_root={data_root}',
            f'test_dataloader.dataset.data_root={data_root}',
            'train_dataloader.batch_size=2', f'train_cfg.max_iters={max_iters}',
            f'train_cfg.val_interval={max_iters}',
            'default_hooks.checkpoint.interval=1', 'custom_hooks.0.interval=1',
            'default_hooks.logger.interval=1']


def run(cmd, **kwargs):
    out = subprocess.run(cmd, cwd=REPO, env=env(**kwargs), capture_output=True,
                         text=True)
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-5000:]
    return out.stdout + out.stderr


@pytest.fixture(scope='module')
def data_root(tmp_path_factory):
    root = str(tmp_path_factory.mktemp('synthetic'))
    make_synthetic_nyu(root, train_scenes=2, test_scenes=1, frames_per_scene=2,
                       size=(96, 128))
    return root


def test_dist_train_resume_and_test(data_root, tmp_path):
    work = str(tmp_path / 'work')
    log = run(['bash', 'tools/dist_train.sh', CONFIG, '2', '--work-dir', work]
              + options(data_root, 2), PORT='29617')
    assert 'distributed run on CPU processes over gloo' in log
    assert 'd1:' in log  # evaluated at the end
    assert osp.isfile(osp.join(work, 'iter_2.pth'))

    log = run([sys.executable, 'tools/train.py', CONFIG, '--work-dir', work,
               '--resume'] + options(data_root, 3))
    assert 'resumed' in log.lower()
    assert 'Iter(train) [3/3]' in log and 'Iter(train) [1/3]' not in log
    ckpt = torch.load(osp.join(work, 'iter_3.pth'), map_location='cpu',
                      weights_only=True)
    assert ckpt['meta']['iter'] == 3
    # the OneCycle scheduler went on from where it stopped
    assert ckpt['param_schedulers'][0]['last_step'] == 3
    assert not any(k.startswith('distill.teacher') for k in ckpt['state_dict'])

    log = run([sys.executable, 'tools/test.py', CONFIG,
               osp.join(work, 'iter_3.pth'), '--work-dir', str(tmp_path / 't')]
              + options(data_root, 3))
    assert 'abs_rel:' in log


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
        'from mmxtkd.utils import build_in_own_scope\n'
        'from mmengine.registry import MODELS\n'
        "cfg = Config.fromfile('my_run.py')\n"
        'model = build_in_own_scope(MODELS, cfg.model)\n'
        "print('rank', model.distill.losses['spectral'].rank,\n"
        "      'reduction', model.distill.losses['spectral'].reduction)\n")
    out = subprocess.run([sys.executable, 'build.py'], cwd=project,
                         env=env(), capture_output=True, text=True)
    assert out.returncode == 0, out.stderr[-3000:]
    assert 'rank 3 reduction norm' in out.stdout
    work = str(tmp_path / 'work')
    no_hooks = [o for o in options(data_root, 1) if 'custom_hooks' not in o]
    out = subprocess.run(
        [sys.executable, osp.join(REPO, 'tools', 'train.py'), 'my_run.py',
         '--work-dir', work] + no_hooks,
        cwd=project, env=env(), capture_output=True, text=True)
    assert out.returncode == 0, out.stderr[-3000:]
    assert 'loss_distill_spectral' in out.stdout + out.stderr
