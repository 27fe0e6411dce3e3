"""tools/analysis/benchmark_training.py and its pieces: the timed run a
config becomes, and the summary of its timings."""
import glob
import json
import os.path as osp

import pytest
import torch
from mmengine.config import Config
from mmengine.hooks import LoggerHook
from mmengine.runner import get_priority

from conftest import REPO, TINY_CONFIG, run_script
from mmxtkd.benchmarks.training import (PeakGPUMemory, passes_for,
                                        speed_summary, timed_run_config,
                                        without_weight_files)


def test_the_summary_is_the_timings_after_the_skipped_ones():
    iteration = [5.0, 3.0, 0.2, 0.4, 0.3, 0.1]
    data = [4.0, 1.0, 0.02, 0.04, 0.01, 0.03]
    s = speed_summary(iteration, data, skip=2, images_per_iteration=16)
    assert s['iterations'] == 4
    assert s['mean_iteration_s'] == pytest.approx(0.25)
    assert s['iterations_per_s'] == pytest.approx(4.0)
    assert s['images_per_s'] == pytest.approx(64.0)
    assert s['median_iteration_s'] == pytest.approx(0.25)
    assert s['mean_data_wait_s'] == pytest.approx(0.025)
    assert s['data_wait_share'] == pytest.approx(0.1 / 1.0)
    with pytest.raises(ValueError, match='run more iterations than --skip'):
        speed_summary(iteration, data, skip=6, images_per_iteration=16)


def test_no_weight_file_is_read_at_any_depth():
    model = dict(
        type='CrossTaskDistiller',
        student=dict(
            backbone=dict(
                init_cfg=dict(
                    type='Pretrained', checkpoint='checkpoints/mbv2.pth'))),
        generator=dict(init_cfg=dict(type='normal', gain=0.02)),
        teacher=dict(
            type='FrozenTeacher',
            checkpoint='checkpoints/vit.pth',
            model=dict(layers=[
                dict(init_cfg=dict(type='Pretrained', checkpoint='x.pth'))
            ])))
    stripped = without_weight_files(model)
    assert stripped['student']['backbone']['init_cfg'] is None
    assert stripped['teacher']['checkpoint'] is None
    assert stripped['teacher']['model']['layers'][0]['init_cfg'] is None
    # a random init is kept, and the original is untouched
    assert stripped['generator']['init_cfg'] == dict(type='normal', gain=0.02)
    assert model['teacher']['checkpoint'] == 'checkpoints/vit.pth'


def test_a_timed_run_trains_only_and_fits_in_one_epoch():
    cfg = Config.fromfile(
        osp.join(REPO, 'configs', 'depth',
                 'mbv2_vitb-cls-teacher_inverted.py'))
    timed = timed_run_config(
        cfg, iters=200, log_interval=10, random_weights=True, data_passes=7)
    assert timed.train_cfg == dict(
        type='IterBasedTrainLoop', max_iters=200, val_interval=201)
    assert timed.val_dataloader is None and timed.test_evaluator is None
    assert timed.param_scheduler is None
    assert timed.default_hooks.checkpoint is None
    assert 'visualization' not in timed.default_hooks  # mmseg's
    assert timed.default_hooks.logger.interval == 10
    assert timed.log_processor == dict(by_epoch=False, window_size=10)
    dataset = timed.train_dataloader.dataset
    assert dataset.type == 'RepeatDataset' and dataset.times == 7
    assert dataset.dataset == cfg.train_dataloader.dataset
    assert timed.model.teacher.checkpoint is None
    assert timed.model.student.backbone.init_cfg is None
    # what is timed is the config's own model, optimizer and hooks
    assert timed.optim_wrapper == cfg.optim_wrapper
    assert timed.custom_hooks == cfg.custom_hooks
    assert cfg.train_cfg.type == 'EpochBasedTrainLoop'  # not changed


def test_passes_cover_every_process_and_iteration():
    assert passes_for(200, 16, 1, 80) == 40
    assert passes_for(200, 2, 8, 1449) == 3  # 3200 images a run
    assert passes_for(10, 4, 1, 16 * 10) == 1
    with pytest.raises(ValueError, match='empty'):
        passes_for(10, 4, 1, 0)
    with pytest.raises(ValueError, match='at least one iteration'):
        timed_run_config(Config(dict(train_dataloader=dict())), iters=0)


def test_benchmark_training_times_a_run_of_the_tiny_job(
        tiny_image_folder, tmp_path):
    record = tmp_path / 'speed.json'
    out = run_script(
        osp.join(REPO, 'tools', 'analysis', 'benchmark_training.py'),
        TINY_CONFIG, '--iters', 12, '--skip', 2, '--log-interval', 4,
        '--work-dir', tmp_path / 'run', '--out', record, '--cfg-options',
        f'train_dataloader.dataset.data_root={tiny_image_folder}')
    summary = json.loads(record.read_text())
    assert summary['iterations'] == 10 and summary['batch'] == 4
    assert summary['images_per_s'] == pytest.approx(
        4 * summary['iterations_per_s'])
    assert 0 < summary['data_wait_share'] < 1
    assert f"| {summary['iterations_per_s']:.2f} |" in out
    assert summary['data_passes'] == 3  # 12 x 4 from 16 images, one epoch
    log = glob.glob(str(tmp_path / 'run' / '*' / 'vis_data' / 'scalars.json'))
    lines = [json.loads(line) for line in open(log[0])]
    assert [line['iter'] for line in lines] == [4, 8, 12]
    assert not glob.glob(
        str(tmp_path / 'run' / '**' / '*.pth'),
        recursive=True)  # no checkpoint written
    with pytest.raises(SystemExit):
        run_script(
            osp.join(REPO, 'tools', 'analysis', 'benchmark_training.py'),
            TINY_CONFIG, '--iters', 5, '--skip', 5)


def test_the_peak_gpu_memory_is_the_whole_runs(monkeypatch):
    """mmengine's logger resets CUDA's peak at every log: the hook reads it
    before the logger at each iteration and keeps the largest."""
    readings = iter([1.0, 5.0, 2.0])  # GiB, the peak since the last reset
    monkeypatch.setattr(torch.cuda, 'is_available', lambda: True)
    monkeypatch.setattr(torch.cuda, 'max_memory_allocated',
                        lambda *args: next(readings) * 2**30)
    hook = PeakGPUMemory()
    for i in range(3):
        hook.after_train_iter(None, i)
    assert hook.peak == 5.0
    assert get_priority(hook.priority) < get_priority(
        LoggerHook.priority)  # runs first
