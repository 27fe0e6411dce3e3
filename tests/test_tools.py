"""tools/train.py, test.py and resume, on the tiny config (dist_train.sh:
test_depth_training.py, test_translation_training.py)."""
import json
import os
import os.path as osp
import subprocess
import sys

import numpy as np
import pytest
import torch

import mmxtkd  # noqa: F401  (allow-lists mmengine checkpoint types)
from conftest import REPO, TINY_CONFIG, run_script


def tool_env(**extra):
    """This interpreter first on PATH (the shell tools call `python`)."""
    path = osp.dirname(sys.executable) + os.pathsep + os.environ['PATH']
    return dict(os.environ, PYTHONPATH=REPO, PATH=path, **extra)


def run(cmd, **kwargs):
    env = tool_env()
    out = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True,
                         text=True, **kwargs)
    assert out.returncode == 0, (out.stdout[-2000:] + out.stderr[-4000:])
    return out.stdout + out.stderr


def data_options(root, max_iters=8):
    return ['--cfg-options', f'train_dataloader.dataset.data_root={root}',
            f'val_dataloader.dataset.data_root={root}',
            f'test_dataloader.dataset.data_root={root}',
            f'train_cfg.max_iters={max_iters}']


def scalars(work_dir):
    """Every line of the LocalVisBackend's scalars.json under work_dir."""
    for dirpath, _, files in os.walk(work_dir):
        if 'scalars.json' in files:
            with open(osp.join(dirpath, 'scalars.json')) as f:
                return [json.loads(line) for line in f]
    raise FileNotFoundError(f'no scalars.json under {work_dir}')


@pytest.fixture(scope='module')
def trained(tiny_image_folder, tmp_path_factory):
    """Train 8 iterations, then resume to 12 (one shared run)."""
    work = str(tmp_path_factory.mktemp('train'))
    first = run([sys.executable, 'tools/train.py', TINY_CONFIG, '--work-dir',
                 work] + data_options(tiny_image_folder, 8))
    resumed = run([sys.executable, 'tools/train.py', TINY_CONFIG, '--work-dir',
                   work, '--resume'] + data_options(tiny_image_folder, 12))
    return work, first, resumed


def test_train_writes_checkpoints_and_spectra(trained):
    work, first, _ = trained
    assert osp.isfile(osp.join(work, 'iter_8.pth'))
    lines = open(osp.join(work, 'spectral_history.jsonl')).read().splitlines()
    iters = [json.loads(x)['iter'] for x in lines]
    assert iters == [2, 4, 6, 8, 10, 12]
    assert 'loss_distill_fitnets' in first


def test_spectra_restart_with_a_run_and_resume_from_its_checkpoint(tmp_path):
    """Each run starts the history afresh; a resumed run keeps the records
    up to its checkpoint."""
    from types import SimpleNamespace

    from mmxtkd.engine.hooks import SpectralRankHook
    path = tmp_path / 'spectral_history.jsonl'
    for start, expected in ((4, [2, 4]), (0, [])):
        path.write_text(''.join(json.dumps(dict(iter=i, rank=1)) + '\n'
                                for i in (2, 4, 6, 8)))
        SpectralRankHook(interval=2).before_train(
            SimpleNamespace(work_dir=str(tmp_path), iter=start))
        assert [json.loads(x)['iter'] for x in
                path.read_text().splitlines()] == expected
    # a run killed while writing a record: resuming drops the torn line
    path.write_text(json.dumps(dict(iter=2, rank=1)) + '\n{"iter": 4, "ra')
    SpectralRankHook(interval=2).before_train(
        SimpleNamespace(work_dir=str(tmp_path), iter=4))
    assert path.read_text() == json.dumps(dict(iter=2, rank=1)) + '\n'
    # a torn line before the last is not a kill: an error naming the line
    path.write_text('{"iter": 2, "ra\n' + json.dumps(dict(iter=4)) + '\n')
    with pytest.raises(ValueError, match=r'spectral_history.jsonl:1 is not '
                       'a JSON line'):
        SpectralRankHook(interval=2).before_train(
            SimpleNamespace(work_dir=str(tmp_path), iter=4))


def test_resume_continues_from_the_last_checkpoint(trained):
    work, _, resumed = trained
    assert 'resumed' in resumed.lower()
    assert 'Iter(train) [ 9/12]' in resumed
    assert 'Iter(train) [ 1/12]' not in resumed
    assert osp.isfile(osp.join(work, 'iter_12.pth'))
    ckpt = torch.load(osp.join(work, 'iter_12.pth'), map_location='cpu',
                      weights_only=True)
    assert ckpt['meta']['iter'] == 12


def test_logged_rank_matches_numpy_on_the_saved_projector(trained):
    work, _, _ = trained
    ckpt = torch.load(osp.join(work, 'iter_12.pth'), map_location='cpu',
                      weights_only=True)
    p = ckpt['state_dict']['distill.projector.proj.weight'].flatten(1).numpy()
    s = np.linalg.svd(p.astype(np.float64), compute_uv=False)
    last = json.loads(open(osp.join(work, 'spectral_history.jsonl'))
                      .read().splitlines()[-1])
    np.testing.assert_allclose(last['singular_values'], s, rtol=1e-6)
    assert last['rank'] == int((s > 0.01 * s[0]).sum())
    logged = [x for x in scalars(work) if 'spectral/rank' in x]
    assert logged[-1]['spectral/rank'] == last['rank']


def test_plot_spectrum_writes_a_png(trained, tmp_path):
    work, _, _ = trained
    out = str(tmp_path / 'fig3.png')
    run_script(osp.join(REPO, 'tools/analysis/plot_spectrum.py'),
               osp.join(work, 'spectral_history.jsonl'), '--out', out)
    with open(out, 'rb') as f:
        assert f.read(8) == b'\x89PNG\r\n\x1a\n'


def test_test_tool_evaluates_a_checkpoint(trained, tiny_image_folder, tmp_path):
    work, _, _ = trained
    pkl = str(tmp_path / 'preds.pkl')
    out = run([sys.executable, 'tools/test.py', TINY_CONFIG,
               osp.join(work, 'iter_12.pth'), '--work-dir', str(tmp_path),
               '--out', pkl] + data_options(tiny_image_folder)[:-1])
    assert 'accuracy/top1' in out
    assert osp.getsize(pkl) > 0


def test_auto_scale_lr_scales_the_one_cycle_peak(tiny_image_folder, tmp_path):
    """Total batch 4 against a base of 8: --auto-scale-lr halves the lr
    (2e-3 in the config), and mmxtkd.OneCycleLR's peak follows it: the lrs
    logged over the 8 iterations reach close to 1e-3 and never above (they
    would pass 1.6e-3 unscaled)."""
    child = tmp_path / 'one_cycle.py'
    child.write_text(
        f"_base_ = '{TINY_CONFIG}'\n"
        "param_scheduler = [dict(type='mmxtkd.OneCycleLR', by_epoch=False,\n"
        "                        begin=0, end=8)]\n"
        'auto_scale_lr = dict(enable=False, base_batch_size=8)\n')
    work = str(tmp_path / 'work')
    log = run([sys.executable, 'tools/train.py', str(child), '--work-dir', work,
               '--auto-scale-lr'] + data_options(tiny_image_folder, 8))
    assert 'LR is set based on batch size of 8 and the current batch size ' \
        'is 4' in log
    peak = max(x['lr'] for x in scalars(work) if 'lr' in x)
    assert 0.8e-3 < peak <= 1e-3 * (1 + 1e-6)


def test_auto_scale_lr_needs_a_base_batch_size(tmp_path):
    with pytest.raises(ValueError, match=r'has no auto_scale_lr='
                       r'dict\(base_batch_size=\.\.\.\)'):
        run_script(osp.join(REPO, 'tools/train.py'), TINY_CONFIG,
                   '--auto-scale-lr', '--work-dir', tmp_path)
