"""REFILLED end to end through tools/train.py on trees written in the real
layouts: the teacher trained on its classes, stage 1 from it, stage 2 from
stage 1's checkpoint; on CUB (cross-task halves) and CIFAR-100 (KD, and the
two stages by tools/refilled_two_stage.sh)."""
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


@pytest.fixture(scope='module')
def cifar(tmp_path_factory):
    """A CIFAR-100 tree and a WRN-40-2 teacher trained on it, copied where
    the configs read it (checkpoints/ of the folder the runs start in)."""
    tmp = tmp_path_factory.mktemp('refilled_cifar')
    root = write_cifar100_tree(str(tmp / 'cifar100'), train=50, test=25)
    cwd = os.getcwd()
    os.chdir(tmp)
    try:
        train(osp.join(CIFAR, 'wrn-40-2_baseline.py'), f'{tmp}/teacher',
              root, *CIFAR_TREE)
    finally:
        os.chdir(cwd)
    os.makedirs(tmp / 'checkpoints')
    shutil.copy(tmp / 'teacher' / 'epoch_1.pth',
                tmp / 'checkpoints' / 'wrn-40-2_cifar100.pth')
    return tmp, root


# the tests' tree is not the published files
CIFAR_TREE = [f'{loader}.dataset.check_md5=False' for loader in
              ('train_dataloader', 'val_dataloader', 'test_dataloader')]


def test_kd_on_a_cifar100_tree(cifar):
    tmp, root = cifar
    cwd = os.getcwd()
    os.chdir(tmp)
    try:
        kd = train(osp.join(CIFAR, 'wrn-16-1_wrn-40-2-teacher_kd.py'),
                   f'{tmp}/kd', root, *CIFAR_TREE)
    finally:
        os.chdir(cwd)
    assert 'loss_distill_kd' in kd
    assert not any('teacher' in k
                   for k in student_keys(f'{tmp}/kd/epoch_1.pth'))


def test_the_two_stage_script_runs_stage2_from_stage1(cifar):
    """tools/refilled_two_stage.sh on the CIFAR tree: stage 1 into
    WORK_ROOT/stage1, then stage 2 with its student from stage 1's last
    checkpoint. (--resume goes to tools/train.py as it is:
    tests/test_tools.py tests it.)"""
    import subprocess
    import sys
    tmp, root = cifar
    options = ['--cfg-options', 'train_cfg.max_epochs=1',
               'train_cfg.val_interval=1'] + CIFAR_TREE[:2] + [
        f'{loader}.{key}' for loader in ('train_dataloader', 'val_dataloader')
        for key in (f'dataset.data_root={root}', 'batch_size=25',
                    'num_workers=0', 'persistent_workers=False')]
    stage1 = osp.join(CIFAR, 'wrn-16-1_wrn-40-2-teacher_refilled-stage1.py')
    # the script beside a dist_train.sh that trains in one plain process:
    # what is tested is the script's sequence (dist_train.sh has its own
    # tests), without torchrun's start-up
    tools = tmp / 'tools'
    tools.mkdir()
    shutil.copy(osp.join(REPO, 'tools', 'refilled_two_stage.sh'), tools)
    (tools / 'dist_train.sh').write_text(
        f'python {REPO}/tools/train.py "$1" "${{@:3}}"\n')
    cmd = ['bash', str(tools / 'refilled_two_stage.sh'), stage1,
           stage1.replace('stage1', 'stage2'), '1'] + options
    env = dict(os.environ, WORK_ROOT=str(tmp / 'work'), PYTHONPATH=REPO,
               PATH=osp.dirname(sys.executable) + os.pathsep +
               os.environ['PATH'])
    out = subprocess.run(cmd, cwd=tmp, env=env, capture_output=True,
                         text=True)
    log = out.stdout + out.stderr
    assert out.returncode == 0, log[-6000:]
    work = tmp / 'work'
    first = (work / 'stage1' / 'last_checkpoint').read_text().strip()
    assert first.endswith('stage1/epoch_1.pth')
    assert f'load student. in model from: {first}' in log
    assert 'loss_distill_triplet' in log and 'loss_distill_local' in log
    for stage in ('stage1', 'stage2'):
        keys = student_keys(work / stage / 'epoch_1.pth')
        assert keys and not any('teacher' in k for k in keys)
