"""tools/analysis/task_gap_probe.py on a small synthetic depth set: the
student config's data and Z_s, a teacher config's FrozenTeacher, and the
report and JSON it writes."""
import json
import os.path as osp

import pytest

from conftest import REPO, run_script
from mmxtkd.datasets import make_synthetic_nyu

TOOL = osp.join(REPO, 'tools', 'analysis', 'task_gap_probe.py')
STUDENT = osp.join(REPO, 'configs', 'depth', 'synthetic', 'mbv2_baseline.py')


def test_probe_reports_both_fits_cka_and_a_recommendation(tmp_path):
    root = str(tmp_path / 'nyu')
    make_synthetic_nyu(root, train_scenes=2, test_scenes=1,
                       frames_per_scene=2, size=(96, 128))
    teacher = tmp_path / 'teacher.py'
    teacher.write_text(
        "teacher = dict(type='mmxtkd.FrozenTeacher', model=dict(\n"
        "    type='mmxtkd.TorchvisionFeatures', name='resnet18',\n"
        "    node='layer3'), checkpoint=None, init_seed=0)\n")
    out = tmp_path / 'probe.json'
    printed = run_script(
        TOOL, STUDENT, teacher, '--batches', '2', '--out', out,
        '--cfg-options', f'train_dataloader.dataset.data_root={root}',
        'train_dataloader.batch_size=2', 'train_dataloader.num_workers=0',
        'train_dataloader.persistent_workers=False')
    result = json.loads(out.read_text())['main']
    # 2 batches of 2 frames, 96x128 at stride 32: 4 x 12 positions
    assert result['positions'] == 48 and result['fitted_on'] == 24
    assert result['teacher_to_student']['shape'] == [256, 1280]
    assert result['student_to_teacher']['shape'] == [1280, 256]
    assert 0 <= result['linear_cka'] <= 1
    assert result['recommendation'] in ('inverted', 'traditional')
    assert '[main] 48 positions (fitted on the first 24' in printed
    assert f"recommendation       {result['recommendation']} (" in printed

    no_teacher = tmp_path / 'none.py'
    no_teacher.write_text('x = 1\n')
    with pytest.raises(SystemExit, match='defines 0 FrozenTeacher configs'):
        run_script(TOOL, STUDENT, no_teacher)
    with pytest.raises(SystemExit, match='has no teacher of its own'):
        run_script(TOOL, STUDENT)


def test_probe_each_pair_of_a_multi_pair_config_against_its_teacher(
        tiny_image_folder, tmp_path):
    """Without TEACHER_CONFIG each pair is probed against its own teacher's
    map, under its name."""
    from conftest import REPO as repo
    config = osp.join(repo, 'tests', 'data', 'configs',
                      'tiny_cls_two-teachers_inverted.py')
    out = tmp_path / 'pairs.json'
    printed = run_script(
        TOOL, config, '--batches', '4', '--out', out, '--cfg-options',
        f'train_dataloader.dataset.data_root={tiny_image_folder}')
    result = json.loads(out.read_text())
    assert list(result) == ['stage2', 'stage3', 'other']
    # the student's 64-channel map against each teacher map's channels
    assert [r['teacher_to_student']['shape'] for r in result.values()] == [
        [32, 64], [64, 64], [64, 64]]
    assert all(r['positions'] == 16 for r in result.values())  # 4 x 4
    for name in result:
        assert f'[{name}] 16 positions' in printed
