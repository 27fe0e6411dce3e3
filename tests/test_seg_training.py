"""The table-2a configs train on small ADE20K- and COCO-layout trees, with
the weights they name (written as users download them), and evaluate mIoU /
pixel accuracy: through tools/train.py, inherited by package path as a user's
config does, and through mmengine's Runner."""
import os
import os.path as osp
import subprocess
import sys

import numpy as np
import torch
from mmengine.config import Config
from mmengine.runner import Runner

import mmxtkd  # noqa: F401  (allow-lists mmengine checkpoint types)
from conftest import REPO, LossRecorder
from mmxtkd.datasets import instances_to_label_maps, make_synthetic_ade
from test_seg_data import coco_instances, write

# What a CPU can afford: 64x64 crops of 2 images, one epoch (the schedule,
# models, weights and metric are the config's).
SMALL = """_base_ = '{config}'
data_root = '{data_root}'
load_annotations = _base_.load_annotations
train_pipeline = [
    dict(type='LoadImageFromFile'), load_annotations,
    dict(type='RandomResize', scale=(96, 64), ratio_range=(0.5, 2.0),
         keep_ratio=True),
    dict(type='mmxtkd.HistogramRandomCrop', crop_size=(64, 64),
         cat_max_ratio=0.75),
    dict(type='mmseg.RandomFlip', prob=0.5),
    dict(type='mmxtkd.LookupPhotoMetricDistortion'),
    dict(type='mmseg.PackSegInputs')
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='mmseg.Resize', scale=(96, 64), keep_ratio=True),
    load_annotations, dict(type='mmseg.PackSegInputs')
]
model = dict(student=dict(data_preprocessor=dict(size=(64, 64))))
train_dataloader = dict(batch_size=2, num_workers=0, persistent_workers=False,
                        dataset=dict(data_root=data_root,
                                     pipeline=train_pipeline))
val_dataloader = dict(
    num_workers=0, persistent_workers=False,
    dataset=dict(data_root=data_root, pipeline=test_pipeline))
test_dataloader = val_dataloader
train_cfg = dict(max_epochs=1, val_interval=1)
default_hooks = dict(logger=dict(interval=1))
"""


def small_config(config, data_root, folder):
    small = osp.join(folder, 'small.py')
    with open(small, 'w') as f:
        f.write(SMALL.format(config=config, data_root=data_root))
    return small


def test_ade20k_config_trains_with_the_train_tool(user_folder, tmp_path):
    data_root = str(tmp_path / 'ade')
    make_synthetic_ade(data_root, train_scenes=1, val_scenes=1,
                       frames_per_scene=2, size=(48, 64))
    small = small_config(
        'mmxtkd::seg/ade20k/dlv3-r50_r50-cls-teacher_inverted.py', data_root,
        user_folder)
    out = subprocess.run(
        [sys.executable, osp.join(REPO, 'tools/train.py'), small,
         '--work-dir', osp.join(user_folder, 'work')], cwd=user_folder,
        env=dict(os.environ, PYTHONPATH=REPO), capture_output=True, text=True)
    log = out.stdout + out.stderr
    assert out.returncode == 0, log[-6000:]
    assert 'load model from: checkpoints/resnet50_in1k_torchvision.pth' in log
    assert 'loss_distill_l2:' in log and 'decode.loss_ce:' in log
    assert 'SpectralRankHook' in log  # on by default
    for metric in ('aAcc:', 'mIoU:', 'mAcc:'):
        assert metric in log
    ckpt = torch.load(osp.join(user_folder, 'work', 'epoch_1.pth'),
                      map_location='cpu', weights_only=True)
    # the trained projector is in the checkpoint, the frozen teacher is not
    distill = [k for k in ckpt['state_dict'] if k.startswith('distill.')]
    assert distill == ['distill.pairs.main.projector.proj.weight']
    weight = ckpt['state_dict']['distill.pairs.main.projector.proj.weight']
    assert weight.shape[:2] == (2048, 2048)


def test_coco_config_trains_with_the_runner(user_folder, tmp_path,
                                           monkeypatch):
    root = tmp_path / 'coco'
    (root / 'annotations').mkdir(parents=True)
    coco_instances(root / 'annotations' / 'instances_train2017.json')
    for split in ('train2017', 'val2017'):
        (root / split).mkdir()
        for i in (1, 2):
            write(root / split / f'00000000000{i}.jpg',
                  np.random.default_rng(i).integers(0, 255, (10, 12, 3),
                                                    dtype=np.uint8))
        instances_to_label_maps(
            str(root / 'annotations' / 'instances_train2017.json'),
            str(root / 'semantic80' / split))
    monkeypatch.chdir(user_folder)
    cfg = Config.fromfile(small_config(
        osp.join(REPO, 'configs/seg/coco/'
                 'dlv3-r50_dlv3-seg-teacher_traditional.py'), str(root),
        user_folder))
    cfg.work_dir = str(tmp_path / 'work')
    runner = Runner.from_cfg(cfg)
    losses = LossRecorder()
    runner.register_hook(losses)
    runner.train()
    assert losses.keys == {'loss', 'decode.loss_ce', 'decode.acc_seg',
                           'loss_distill_l2'}
    assert runner.model.distill.teachers['main'].checkpoint == \
        'checkpoints/deeplabv3_resnet50_coco-cd0a2569.pth'
    metrics = runner.val_loop.run()
    assert set(metrics) == {'aAcc', 'mIoU', 'mAcc'}
    assert runner.val_evaluator.dataset_meta['classes'][79] == 'toothbrush'
    assert 0 <= metrics['mIoU'] <= 100 and 0 <= metrics['aAcc'] <= 100
