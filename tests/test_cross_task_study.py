"""projects/cross_task_study/run_study.py on a tiny budget: the files it
writes, its statistics against an independent computation on the runs' own
metrics, runs and teachers reused by a second call."""
import json
import math
import os.path as osp
import sys

import numpy as np
import pytest
from scipy import stats

from conftest import REPO, run_script
from mmxtkd.results.statistics import (better_of, improvement, mean_std,
                                       paired_comparison)

PROJECT = osp.join(REPO, 'projects', 'cross_task_study')
TOOL = osp.join(PROJECT, 'run_study.py')
sys.path.insert(0, PROJECT)
from study import CrossTaskStudy, StudySettings  # noqa: E402


def tiny(tmp_path) -> dict:
    """Two batches of the students' 8 (no epoch restart), 2 iterations."""
    return dict(iters=2, scenes=(2, 1, 8), teacher_scenes=(1, 1, 4),
                out=str(tmp_path / 'out'), data=str(tmp_path / 'data'),
                student=str(tmp_path / 'nyu'))


def test_the_study_writes_its_tables_and_its_statistics_are_the_runs(
        tmp_path):
    t = tiny(tmp_path)
    args = ['--seeds', 2, '--iters', t['iters'], '--teachers', 'random',
            '--decay-ablation', 'random', '--scenes', *t['scenes'],
            '--out', t['out'], '--data-root', t['data'],
            '--student-data', t['student']]
    printed = run_script(TOOL, *args)
    out = tmp_path / 'out'
    study = json.loads((out / 'study.json').read_text())
    assert list(study['runs']) == [
        'baseline', 'spectral', 'random_traditional', 'random_inverted',
        'random_traditional_no-decay', 'random_inverted_no-decay']
    for name in ('baseline', 'random_inverted'):
        assert study['runs'][name]['seeds'] == [0, 1]
    assert study['runs']['random_inverted_no-decay']['seeds'] == [0]
    # every number of the tables from the runs' own result files
    results = {
        (name, seed): json.loads((out / 'runs' / name / f'seed{seed}' /
                                  'result.json').read_text())
        for name in ('random_traditional', 'random_inverted')
        for seed in (0, 1)}
    comparison = study['comparisons']['random']
    for metric in ('d1', 'abs_rel', 'rmse'):
        trad = [results['random_traditional', s]['metrics'][metric]
                for s in (0, 1)]
        inv = [results['random_inverted', s]['metrics'][metric]
               for s in (0, 1)]
        assert study['runs']['random_inverted'][metric]['mean'] == \
            pytest.approx(np.mean(inv))
        assert study['runs']['random_inverted'][metric]['std'] == \
            pytest.approx(np.std(inv, ddof=1))
        diffs = np.subtract(inv, trad)
        paired = comparison[metric]['paired']
        assert paired['differences'] == pytest.approx(list(diffs))
        half = stats.t.ppf(0.975, 1) * np.std(diffs, ddof=1) / math.sqrt(2)
        assert paired['interval'] == pytest.approx(
            [diffs.mean() - half, diffs.mean() + half])
        sign = 1 if metric == 'd1' else -1
        assert comparison[metric]['improvement'] == pytest.approx(
            sign * (np.mean(inv) - np.mean(trad)) / np.mean(trad) * 100)
    # the fit on the training frames, recorded and tabulated
    fit = [results['random_inverted', s]['train_metrics']['d1']
           for s in (0, 1)]
    assert study['runs']['random_inverted']['train_d1']['mean'] == \
        pytest.approx(np.mean(fit))
    spectrum = results['random_inverted', 1]['spectrum']
    assert spectrum['of'] == 512 and 0 < spectrum['rank'] <= 512
    terms = spectrum['decomposition']
    assert terms['loss'] <= terms['bound'] + 1e-9
    assert (out / 'spectrum_random.png').is_file()
    md = (out / 'study.md').read_text()
    assert md in printed
    assert '| random (untrained) |' in md
    # a second call reuses every run: nothing trains again (the first
    # logged each run it trained)
    assert 'random_inverted seed 0:' in printed
    again = run_script(TOOL, *args)
    assert 'seed 0:' not in again  # no run was logged as trained
    assert json.loads((out / 'study.json').read_text())['runs'] == \
        study['runs']


def test_a_trained_teacher_is_cached_with_its_settings(tmp_path):
    t = tiny(tmp_path)
    settings = StudySettings(
        teachers=('seg', ), teacher_epochs=1, teacher_scenes=(1, 1, 4),
        out=t['out'], data_root=t['data'], student_data=t['student'])
    logged = []
    first = CrossTaskStudy(settings, logged.append).teacher('seg')
    assert any('training the seg teacher' in line for line in logged)
    checkpoint = first['frozen']['checkpoint']
    assert osp.isfile(checkpoint)
    stamp = osp.getmtime(checkpoint)
    logged.clear()
    second = CrossTaskStudy(settings, logged.append).teacher('seg')
    assert second == first and osp.getmtime(checkpoint) == stamp
    assert any('reused' in line for line in logged)
    # the teacher loads into the FrozenTeacher the students use
    from mmxtkd.registry import MODELS
    teacher = MODELS.build(second['frozen'])
    assert teacher.checkpoint == checkpoint
    with pytest.raises(ValueError, match=r"unknown teachers \['vit'\]"):
        CrossTaskStudy(StudySettings(teachers=('vit', )))


def test_the_statistics_by_hand():
    assert mean_std([1.0]) == (1.0, 0.0)
    assert mean_std([1.0, 3.0]) == (2.0, pytest.approx(math.sqrt(2)))
    # d1 0.80 -> 0.84 is +5 %; an error 0.20 -> 0.19 is +5 % too
    assert improvement(0.80, 0.84, better_of('d1')) == pytest.approx(5.0)
    assert improvement(0.20, 0.19, better_of('abs_rel')) == pytest.approx(5.0)
    # differences 1, 2, 3: mean 2, sd 1, t(0.975, 2) = 4.303
    paired = paired_comparison([0, 0, 0], [1, 2, 3])
    assert paired['mean'] == 2
    assert paired['interval'] == pytest.approx(
        (2 - 4.302653 / math.sqrt(3), 2 + 4.302653 / math.sqrt(3)))
    assert paired_comparison([0.5], [0.7])['interval'] is None
    with pytest.raises(ValueError, match='same seeds'):
        paired_comparison([1, 2], [1])


def test_the_training_frames_are_tested_unaugmented():
    """test_on_training_images: the test loop reads the training split
    (its folder and list) through the validation pipeline."""
    from mmengine.config import Config
    from study import STUDENTS

    from mmxtkd.results.study_runs import test_on_training_images
    cfg = Config.fromfile(STUDENTS['depth'].config)
    test_on_training_images(cfg)
    tested, trained = cfg.test_dataloader.dataset, cfg.train_dataloader.dataset
    assert tested.ann_file == trained.ann_file == \
        'nyudepthv2_train_files_with_gt.txt'
    assert tested.data_prefix == trained.data_prefix
    assert tested.pipeline == cfg.val_dataloader.dataset.pipeline
    assert not any('Flip' in t['type'] or 'Crop' in t['type']
                   for t in tested.pipeline)
    assert cfg.test_dataloader.batch_size == cfg.val_dataloader.batch_size


def test_the_seg_student_runs_the_same_study(tmp_path):
    """--student seg: the seg demo's student, its mIoU / aAcc / mAcc
    tabulated as the depth student's metrics are, the projector measured
    in a one-iteration epoch."""
    from study import SPECTRAL_LOSS
    settings = StudySettings.seg(
        seeds=1, iters=1, teachers=('random', ), decay_ablation=(),
        student_scenes=(1, 1, 4), out=str(tmp_path / 'out'),
        teacher_dir=None, data_root=str(tmp_path / 'data'),
        student_data=str(tmp_path / 'ade'))
    study = CrossTaskStudy(settings, log=lambda line: None)()
    assert list(study['runs']) == ['baseline', 'spectral',
                                   'random_traditional', 'random_inverted']
    result = json.loads((tmp_path / 'out' / 'runs' / 'random_inverted' /
                         'seed0' / 'result.json').read_text())
    entry = study['runs']['random_inverted']
    for metric in ('mIoU', 'aAcc', 'mAcc'):
        assert entry[metric]['values'] == [result['metrics'][metric]]
    assert entry['train_mIoU']['values'] == [
        result['train_metrics']['mIoU']]
    assert result['spectrum']['of'] == 512  # the inverted P: 512 -> 512
    assert study['comparisons']['random']['mIoU']['paired'][
        'differences'] == [result['metrics']['mIoU'] - study['runs'][
            'random_traditional']['mIoU']['values'][0]]
    md = (tmp_path / 'out' / 'study.md').read_text()
    assert '| run | mIoU | aAcc | mAcc | train mIoU |' in md
    assert 'seg student: 1 seed(s), 1 epochs each' in md
    # the spectral arm is the student with eq. 6, as the depth demo's
    # spectral config is
    spectral = CrossTaskStudy(settings).run_config(None, None, True, True, 0)
    assert spectral.model.distill_losses == dict(spectral=SPECTRAL_LOSS)
    with pytest.raises(ValueError, match="unknown student 'pose'"):
        CrossTaskStudy(StudySettings(student='pose'))


def test_the_depth_spectral_arm_is_the_demos_spectral_config(tmp_path):
    from mmengine.config import Config
    from study import STUDENTS
    settings = StudySettings(out=str(tmp_path))
    arm = CrossTaskStudy(settings).run_config(None, None, True, True, 0)
    demo = Config.fromfile(STUDENTS['depth'].config.replace(
        'mbv2_baseline.py', 'mbv2_spectral-r2.py'))
    assert arm.model.to_dict() == demo.model.to_dict()
