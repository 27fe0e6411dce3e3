"""mmagic is the optional 'editing' extra: without it, mmxtkd imports,
registers its modules and trains a depth and a REFILLED config; a
colourisation config fails with an error naming the extra."""
import os.path as osp
import subprocess
import sys

import pytest

from conftest import REPO, needs_editing
from mmxtkd.compatibility import require_extra

# a process in which mmagic cannot be imported, as where it is not installed
WITHOUT_MMAGIC = '''
import runpy, sys
sys.modules['mmagic'] = None
import mmxtkd
from mmxtkd.apis import register_all_modules
register_all_modules()
assert [m for m, v in sys.modules.items() if v and m.startswith('mmagic')] \\
    == [], 'mmagic was imported'
print('REGISTERED')
def train(config, work_dir, *options):
    sys.argv = ['tools/train.py', config, '--work-dir', work_dir,
                '--cfg-options', 'randomness.seed=0', *options]
    runpy.run_path('tools/train.py', run_name='__main__')
'''


def run(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, '-c', WITHOUT_MMAGIC + code],
                          cwd=REPO, capture_output=True, text=True)


def test_depth_and_refilled_train_without_mmagic(tmp_path):
    from mmxtkd.datasets import make_digits_class_split, make_synthetic_nyu
    nyu, digits = str(tmp_path / 'nyu'), str(tmp_path / 'digits')
    make_synthetic_nyu(nyu, train_scenes=1, test_scenes=1,
                       frames_per_scene=2, size=(64, 96))
    make_digits_class_split(digits, student_per_class=2)
    loaders = [f'{split}_dataloader.{key}' for split in ('train', 'val',
                                                         'test')
               for key in ('num_workers=0', 'persistent_workers=False')]
    work = str(tmp_path / 'work')
    teacher = f'{work}/teacher/epoch_1.pth'
    out = run(f'''
train('configs/depth/synthetic/mbv2_vitb-cls-teacher_inverted.py',
      '{work}/depth', 'train_cfg.max_iters=2', 'train_cfg.val_interval=2',
      'train_dataloader.batch_size=2', *{loaders!r},
      *[f'{{s}}_dataloader.dataset.data_root={nyu}'
        for s in ('train', 'val', 'test')])
train('configs/refilled/digits/wrn-16-1_digits0-4.py', '{work}/teacher',
      'train_cfg.max_epochs=1', 'train_cfg.val_interval=1', *{loaders!r},
      *[f'{{s}}_dataloader.dataset.data_root={digits}/teacher'
        for s in ('train', 'val', 'test')])
train('configs/refilled/digits/'
      'wrn-16-1_wrn-16-1-digits0-4-teacher_refilled-stage1.py',
      '{work}/stage1', 'train_cfg.max_epochs=1', 'train_cfg.val_interval=1',
      'model.teacher.checkpoint={teacher}', *{loaders!r},
      *[f'{{s}}_dataloader.dataset.data_root={digits}/student'
        for s in ('train', 'val', 'test')])
''')
    assert out.returncode == 0, out.stdout[-2000:] + out.stderr[-4000:]
    assert 'REGISTERED' in out.stdout
    assert 'loss_distill_fitnets' in out.stdout + out.stderr
    assert osp.isfile(f'{work}/stage1/epoch_1.pth')


def test_a_colourisation_config_names_the_extra(tmp_path):
    out = run(f'''
train('configs/colourisation/pix2pix_vitb-cls-teacher_inverted.py',
      '{tmp_path}/work')
''')
    assert out.returncode != 0
    assert "Install mmxtkd's 'editing' extra: pip install 'mmxtkd[editing]'" \
        in out.stderr, out.stderr[-3000:]


@needs_editing
def test_require_extra_passes_when_the_package_imports():
    require_extra('editing')  # mmagic is installed here
    with pytest.raises(KeyError):
        require_extra('no such extra')


def test_missing_packages_are_told_apart():
    """mmengine's error for a config inheriting 'mmagic::...' where mmagic
    is not installed (what a colourisation config meets first there), and
    Python's, name the extra; another missing package does not."""
    from mmxtkd.compatibility import extra_of, missing_extra
    mmengine_says = ModuleNotFoundError(
        'mmagic is not installed, please install mmagic manually')
    assert extra_of(mmengine_says) == 'editing'
    assert extra_of(ModuleNotFoundError('x', name='mmagic')) == 'editing'
    assert extra_of(ModuleNotFoundError('x', name='mmdet')) is None
    assert "pip install 'mmxtkd[editing]'" in str(
        missing_extra('editing', mmengine_says))
