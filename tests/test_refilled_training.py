"""REFILLED end to end through tools/train.py on trees written in the real
layouts: the teacher trained on its classes, stage 1 from it, stage 2 from
stage 1's checkpoint; on CUB (cross-task halves) and CIFAR-100 (KD too)."""
import glob
import os
import os.path as osp
import shutil

import pytest
import torch

from conftest import REPO, run_script
from refilled_data import write_cifar100_tree, write_cub_tree

CUB = osp.join(REPO, 'configs', 'refilled', 'cub')
CIFAR = osp.join(REPO, 'configs', 'refilled', 'cifar')
SMALL_CUB = [  # 32-pixel crops of the test tree's 24-pixel images
    'train_dataloader.dataset.pipeline.1.scale=32',
    'val_dataloader.dataset.pipeline.1.scale=36',
    'val_dataloader.dataset.pipeline.2.crop_size=32',
    'test_dataloader.dataset.pipeline.1.scale=36',
    'test_dataloader.dataset.pipeline.2.crop_size=32']


def train(config, work_dir, root, *options):
    """One epoch of ``config`` on the tree at ``root`` in this process;
    what it printed."""
    loaders = ('train_dataloader', 'val_dataloader', 'test_dataloader')
    return run_script(
        osp.join(REPO, 'tools', 'train.py'), config, '--work-dir', work_dir,
        '--cfg-options', 'train_cfg.max_epochs=1', 'train_cfg.val_interval=1',
        'randomness.seed=0', f'visualizer.name={work_dir}', *[
            f'{loader}.{key}' for loader in loaders
            for key in (f'dataset.data_root={root}', 'batch_size=25',
                        'num_workers=0', 'persistent_workers=False')],
        *options)


def student_keys(path):
    return set(torch.load(path, map_location='cpu',
                          weights_only=False)['state_dict'])


@pytest.fixture(scope='module')
def cub_runs(tmp_path_factory):
    """The cross-task pipeline on a 200-species CUB tree: the teacher on
    classes 0-99, then REFILLED's stages for the student on 100-199."""
    tmp = tmp_path_factory.mktemp('refilled_cub')
    root = write_cub_tree(str(tmp / 'CUB_200_2011'))
    work = str(tmp / 'work')
    cwd = os.getcwd()
    os.chdir(tmp)  # the teachers' checkpoints/ are relative to the run
    try:
        logs = {'teacher': train(osp.join(CUB, 'mbv1-1.0_cub0-99.py'),
                                 f'{work}/teacher', root, *SMALL_CUB)}
        os.makedirs('checkpoints')
        shutil.copy(f'{work}/teacher/epoch_1.pth',
                    'checkpoints/mbv1-1.0_cub0-99.pth')
        stage1 = 'mbv1-0.25_mbv1-cub0-99-teacher_refilled-stage1.py'
        logs['stage1'] = train(osp.join(CUB, stage1), f'{work}/stage1', root,
                               *SMALL_CUB)
        logs['stage2'] = train(
            osp.join(CUB, stage1.replace('stage1', 'stage2')),
            f'{work}/stage2', root, *SMALL_CUB,
            f'model.student.init_cfg.checkpoint={work}/stage1/epoch_1.pth')
    finally:
        os.chdir(cwd)
    return work, logs


def test_the_teacher_trains_on_its_half_and_the_student_on_the_other(
        cub_runs):
    work, logs = cub_runs
    # 200 training images of 100 classes each side, batches of 25
    assert 'Epoch(train) [1][8/8]' in logs['teacher']
    assert 'Epoch(train) [1][8/8]' in logs['stage1']
    assert 'accuracy/top1' in logs['stage2']


def test_stage1_trains_on_the_triplets_with_the_teacher_frozen(cub_runs):
    work, logs = cub_runs
    assert 'loss_distill_triplet' in logs['stage1']
    keys = student_keys(f'{work}/stage1/epoch_1.pth')
    assert keys and all(k.startswith('student.') for k in keys)  # no teacher
    assert any(k.startswith('student.backbone.') for k in keys)


def test_stage2_starts_from_stage1_and_distils_the_classifier(cub_runs):
    work, logs = cub_runs
    assert (f'load student. in model from: {work}/stage1/epoch_1.pth'
            in logs['stage2'])
    assert 'loss_distill_local' in logs['stage2']
    keys = student_keys(f'{work}/stage2/epoch_1.pth')
    assert not any('teacher' in k for k in keys)


def test_kd_and_refilled_on_a_cifar100_tree(tmp_path):
    root = write_cifar100_tree(str(tmp_path / 'cifar100'), train=50, test=25)
    work = str(tmp_path / 'work')
    unchecked = 'check_md5=False'  # the tree is not the published files
    data = [f'{loader}.dataset.{unchecked}' for loader in
            ('train_dataloader', 'val_dataloader', 'test_dataloader')]
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        train(osp.join(CIFAR, 'wrn-40-2_baseline.py'), f'{work}/teacher',
              root, *data)
        os.makedirs('checkpoints')
        shutil.copy(f'{work}/teacher/epoch_1.pth',
                    'checkpoints/wrn-40-2_cifar100.pth')
        kd = train(osp.join(CIFAR, 'wrn-16-1_wrn-40-2-teacher_kd.py'),
                   f'{work}/kd', root, *data)
        train(osp.join(CIFAR, 'wrn-16-1_wrn-40-2-teacher_refilled-stage1.py'),
              f'{work}/stage1', root, *data)
        stage2 = train(
            osp.join(CIFAR, 'wrn-16-1_wrn-40-2-teacher_refilled-stage2.py'),
            f'{work}/stage2', root, *data,
            f'model.student.init_cfg.checkpoint={work}/stage1/epoch_1.pth')
    finally:
        os.chdir(cwd)
    assert 'loss_distill_kd' in kd and 'loss_distill_local' in stage2
    for run in ('kd', 'stage1', 'stage2'):
        checkpoint, = glob.glob(f'{work}/{run}/epoch_1.pth')
        assert not any('teacher' in k for k in student_keys(checkpoint))


def test_the_two_stage_script_runs_stage2_from_stage1(tmp_path):
    """tools/refilled_two_stage.sh with one CPU process: stage 1 into
    WORK_ROOT/stage1, stage 2 from its last checkpoint; again with --resume,
    both finished stages resume at their ends and train nothing."""
    import subprocess
    import sys
    root = write_cifar100_tree(str(tmp_path / 'cifar100'), train=50, test=25)
    os.makedirs(tmp_path / 'checkpoints')
    teacher = run_script(  # a WRN-40-2 teacher, as its run would save it
        osp.join(REPO, 'tools', 'train.py'),
        osp.join(CIFAR, 'wrn-40-2_baseline.py'), '--work-dir',
        tmp_path / 'teacher', '--cfg-options', 'train_cfg.max_epochs=1',
        f'visualizer.name={tmp_path}/teacher',
        *[f'{loader}.{key}' for loader in ('train_dataloader',
                                           'val_dataloader')
          for key in (f'dataset.data_root={root}', 'dataset.check_md5=False',
                      'batch_size=25', 'num_workers=0',
                      'persistent_workers=False')])
    assert 'Epoch(train) [1][2/2]' in teacher
    shutil.copy(tmp_path / 'teacher' / 'epoch_1.pth',
                tmp_path / 'checkpoints' / 'wrn-40-2_cifar100.pth')
    options = ['--cfg-options', 'train_cfg.max_epochs=1',
               'train_cfg.val_interval=1'] + [
        f'{loader}.{key}' for loader in ('train_dataloader', 'val_dataloader')
        for key in (f'dataset.data_root={root}', 'dataset.check_md5=False',
                    'batch_size=25', 'num_workers=0',
                    'persistent_workers=False')]
    stage1 = osp.join(CIFAR, 'wrn-16-1_wrn-40-2-teacher_refilled-stage1.py')
    cmd = ['bash', osp.join(REPO, 'tools', 'refilled_two_stage.sh'), stage1,
           stage1.replace('stage1', 'stage2'), '1'] + options
    env = dict(os.environ, WORK_ROOT=str(tmp_path / 'work'), PYTHONPATH=REPO,
               PATH=osp.dirname(sys.executable) + os.pathsep +
               os.environ['PATH'])
    out = subprocess.run(cmd, cwd=tmp_path, env=env, capture_output=True,
                         text=True)
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-3000:]
    work = tmp_path / 'work'
    first = (work / 'stage1' / 'last_checkpoint').read_text().strip()
    assert first.endswith('stage1/epoch_1.pth')
    assert f'load student. in model from: {first}' in out.stdout + out.stderr
    assert (work / 'stage2' / 'epoch_1.pth').is_file()
    stamp = (work / 'stage2' / 'epoch_1.pth').stat().st_mtime
    again = subprocess.run(cmd + ['--resume'], cwd=tmp_path, env=env,
                           capture_output=True, text=True)
    assert again.returncode == 0, again.stderr[-3000:]
    assert 'Epoch(train)' not in again.stdout + again.stderr
    assert (work / 'stage2' / 'epoch_1.pth').stat().st_mtime == stamp
