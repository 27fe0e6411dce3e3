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
    result = json.loads(out.read_text())
    # 2 batches of 2 frames, 96x128 at stride 32: 4 x 12 positions
    assert result['positions'] == 48 and result['fitted_on'] == 24
    assert result['teacher_to_student']['shape'] == [256, 1280]
    assert result['student_to_teacher']['shape'] == [1280, 256]
    assert 0 <= result['linear_cka'] <= 1
    assert result['recommendation'] in ('inverted', 'traditional')
    assert '48 positions (fitted on the first 24' in printed
    assert f"recommendation       {result['recommendation']} (" in printed

    no_teacher = tmp_path / 'none.py'
    no_teacher.write_text('x = 1\n')
    with pytest.raises(SystemExit, match='has no `teacher`'):
        run_script(TOOL, STUDENT, no_teacher)
