"""A colourisation and a satellite-to-map config, inherited by package path as
a user's config does, train and validate on small trees in mmagic's layouts:
colourisation through tools/train.py, then resumed through
tools/dist_train.sh on 2 processes, which carries on the projector's
optimizer state; satellite-to-map through tools/dist_train.sh (which runs
tools/train.py on each process). Validation is the configs' PSNR, and FID
with the Inception file users put in checkpoints/ in colourisation's first
run (FID's 2048-d matrix square root costs ~20 s on 2 cores; the metric is
the same in both tasks)."""
import os
import os.path as osp
import subprocess
import sys

import torch

import mmxtkd  # noqa: F401  (allow-lists mmengine checkpoint types)
from conftest import REPO
from mmxtkd.datasets import (make_synthetic_colourisation,
                             make_synthetic_sat2map)

# What a CPU can afford: 32x32 images, generators with 8 base channels, two
# test images (the teacher, its weights, losses, schedule and metrics are the
# config's).
HEADER = """_base_ = '{config}'
data_root = '{data_root}'
"""
COMMON = """
train_dataloader = dict(batch_size=2, num_workers=0, persistent_workers=False,
                        dataset=dict(data_root=data_root,
                                     pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=1, num_workers=0, persistent_workers=False,
    dataset=dict(data_root=data_root, pipeline=test_pipeline))
test_dataloader = val_dataloader
val_evaluator = dict(metrics=[_base_.metrics[0]] + [
    dict(_base_.metrics[1], fake_nums=2)] * {fid})
train_cfg = dict(max_epochs=1, val_interval=1)
default_hooks = dict(logger=dict(interval=1))
"""
# one more epoch on 2 processes, validated with PSNR
RESUMED = """_base_ = './small.py'
train_cfg = dict(max_epochs=2)
val_evaluator = dict(metrics=[_base_.val_evaluator.metrics[0]])
"""
TASKS = {
    'colourisation': dict(
        config='mmxtkd::colourisation/pix2pix_vitb-cls-teacher_inverted.py',
        make_data=lambda root: make_synthetic_colourisation(
            root, train_scenes=2, test_scenes=1, frames_per_scene=2,
            size=(32, 32)),
        small="""
model = dict(generator=dict(num_down=5, base_channels=8),
             discriminator=dict(base_channels=8), student_channels=64)
train_pipeline = [
    _base_.load_pair,
    dict(type='mmagic.Resize', keys=['img_photo'], scale=(36, 36)),
    dict(type='mmagic.FixedCrop', keys=['img_photo'], crop_size=(32, 32)),
    _base_.gray_copy, _base_.pack]
test_pipeline = [_base_.load_pair, _base_.gray_copy, _base_.pack]
""", losses=('loss_pixel:', 'loss_gan_g:', 'loss_distill_l2:'),
        teacher_file='vit-b16_in1k_torchvision.pth', fid=True),
    'sat2map': dict(
        config='mmxtkd::sat2map/cyclegan_krcnn-kpt-teacher_inverted.py',
        make_data=lambda root: make_synthetic_sat2map(
            root, train_tiles=4, test_tiles=2, size=(32, 32)),
        small="""
model = dict(generator=dict(base_channels=8, num_blocks=1),
             discriminator=dict(base_channels=8), student_channels=32)
train_pipeline = _base_.load + [
    dict(type='mmagic.Crop', keys=_base_.image_keys, crop_size=(32, 32),
         random_crop=True),
    dict(type='mmagic.Flip', keys=['img_map'], direction='horizontal'),
    _base_.pack]
test_pipeline = _base_.load + [_base_.pack]
""", losses=('cycle_loss:', 'id_loss:', 'loss_distill_l2:'),
        teacher_file='keypointrcnn_resnet50_fpn_coco-fc266e95.pth',
        fid=False),
}


def tool(cmd, cwd, **env):
    path = osp.dirname(sys.executable) + os.pathsep + os.environ['PATH']
    out = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True,
                         env=dict(os.environ, PYTHONPATH=REPO, PATH=path,
                                  **env))
    log = out.stdout + out.stderr
    assert out.returncode == 0, (f'stdout ends:\n{out.stdout[-3000:]}\n'
                                 f'stderr ends:\n{out.stderr[-3000:]}')
    return log


def state_keys(checkpoint: str) -> list:
    return list(torch.load(checkpoint, map_location='cpu',
                           weights_only=True)['state_dict'])


def projector_adam_steps(checkpoint: str) -> int:
    """The Adam step count of the projector's matrix in the generators'
    optimizer of a checkpoint."""
    ckpt = torch.load(checkpoint, map_location='cpu', weights_only=True)
    keys = list(ckpt['state_dict'])
    projector = keys.index('distill.pairs.main.projector.proj.weight')
    # mmagic's constructor: generators' params first, in module order
    generator_params = [k for k in keys if k.startswith('generators.')
                        and not k.endswith(('running_mean', 'running_var',
                                            'num_batches_tracked'))]
    state = ckpt['optimizer']['generators']['state']
    index = len(generator_params) + sum(
        1 for k in keys[:projector] if k.startswith('distill.'))
    assert tuple(state[index]['exp_avg'].shape) == tuple(
        ckpt['state_dict']['distill.pairs.main.projector.proj.weight'].shape)
    return int(state[index]['step'])


def small_config(task: str, tmp_path) -> str:
    """The task's small tree and config; its path."""
    spec = TASKS[task]
    data_root = str(tmp_path / 'data')
    spec['make_data'](data_root)
    small = tmp_path / 'small.py'
    small.write_text(HEADER.format(config=spec['config'], data_root=data_root)
                     + spec['small'] + COMMON.format(fid=int(spec['fid'])))
    return str(small)


def assert_trained(log: str, task: str) -> None:
    spec = TASKS[task]
    assert f"checkpoints/{spec['teacher_file']}" in log  # the teacher's file
    for key in spec['losses'] + ('PSNR:', ) + ('FID/fid:', ) * spec['fid']:
        assert key in log, key


def test_colourisation_trains_validates_and_resumes_on_two_processes(
        user_folder, tmp_path):
    small = small_config('colourisation', tmp_path)
    work = str(tmp_path / 'work')
    log = tool([sys.executable, osp.join(REPO, 'tools/train.py'), small,
                '--work-dir', work], cwd=user_folder)
    assert_trained(log, 'colourisation')
    # 4 training images, batch 2: 2 steps
    assert projector_adam_steps(osp.join(work, 'epoch_1.pth')) == 2

    resumed = tmp_path / 'resumed.py'
    resumed.write_text(RESUMED)
    log = tool(['bash', osp.join(REPO, 'tools/dist_train.sh'), str(resumed),
                '2', '--work-dir', work, '--resume'], cwd=user_folder,
               PORT='29617')
    assert 'resumed' in log.lower() and 'gloo' in log
    assert 'PSNR:' in log
    # 2 processes, 2 images each, batch 2: one more step, counted on
    assert projector_adam_steps(osp.join(work, 'epoch_2.pth')) == 3
    # the same keys from 2 processes as from one (no DDP '.module.')
    assert state_keys(osp.join(work, 'epoch_2.pth')) == state_keys(
        osp.join(work, 'epoch_1.pth'))


def test_sat2map_trains_and_validates_on_two_processes(user_folder,
                                                       tmp_path):
    small = small_config('sat2map', tmp_path)
    work = str(tmp_path / 'work')
    log = tool(['bash', osp.join(REPO, 'tools/dist_train.sh'), small, '2',
                '--work-dir', work], cwd=user_folder, PORT='29618')
    assert 'gloo' in log
    assert_trained(log, 'sat2map')
    # 2 processes, 2 of the 4 images each, batch 2: 1 step
    assert projector_adam_steps(osp.join(work, 'epoch_1.pth')) == 1
    keys = state_keys(osp.join(work, 'epoch_1.pth'))
    assert {k.split('.')[1] for k in keys if k.startswith('generators.')} == {
        'aerial', 'map'}
