"""The benchmark's parts against independent measurements, and the tool's
record against its own step times."""
import json
import os.path as osp
import subprocess
import sys

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from conftest import REPO, TINY_CONFIG, run_script
from mmxtkd.benchmarks import distillation as benchmark
from mmxtkd.benchmarks.distillation import (map_cosine, round_robin,
                                            teacher_options)

BENCHMARK = osp.join(REPO, 'tools', 'analysis', 'benchmark_distill.py')
TWO_TEACHERS = osp.join(REPO, 'tests', 'data', 'configs',
                        'tiny_cls_two-teachers_inverted.py')
MIB = 2**20


def test_map_cosine_is_the_per_position_cosine_of_the_channel_vectors():
    gen = torch.Generator().manual_seed(0)
    a = torch.randn(2, 5, 3, 4, generator=gen)
    b = a + 0.5 * torch.randn(2, 5, 3, 4, generator=gen)
    x, y = a.permute(0, 2, 3, 1).numpy(), b.permute(0, 2, 3, 1).numpy()
    cos = (x * y).sum(-1) / np.linalg.norm(x, axis=-1) / np.linalg.norm(
        y, axis=-1)
    mean, low = map_cosine(a, b, (3, 4))
    assert mean == pytest.approx(cos.mean(), rel=1e-6)
    assert low == pytest.approx(cos.min(), rel=1e-6)
    # another grid: both maps are first resized to it; a constant map
    # stays constant, so a map and twice it agree exactly
    mean, low = map_cosine(F.interpolate(a, scale_factor=2), 2 * a, (3, 4))
    assert (mean, low) == pytest.approx((1.0, 1.0), abs=1e-6)


def test_teacher_options_combine_and_name_what_is_wrong():
    assert teacher_options('bf16+native+channels_last', (224, 224)) == dict(
        autocast_dtype='bfloat16', input_size=(224, 224), channels_last=True)
    assert teacher_options('default', None) == {}
    assert teacher_options('no_grad', None) == dict(inference_mode=False)
    with pytest.raises(ValueError, match="unknown teacher option 'bf32' in "
                       "'bf16\\+bf32'"):
        teacher_options('bf16+bf32', None)
    with pytest.raises(ValueError, match='no native input size'):
        teacher_options('native', None)


def test_round_robin_interleaves_and_drops_the_warmup():
    calls = []
    steps = {name: (lambda n=name: calls.append(n)) for name in 'abc'}
    times = round_robin(steps, rounds=3, warmup=2)
    assert calls == list('abc') * 5
    assert {k: len(v) for k, v in times.items()} == dict(a=3, b=3, c=3)


RESIDENT_PROBE = """
import torch
from mmxtkd.benchmarks.distillation import (ResidentPeakMemory,
                                       return_freed_memory_at_once)
assert return_freed_memory_at_once()  # glibc, as on every CI machine
with ResidentPeakMemory() as freed:
    block = torch.ones(256 * 2**20 // 4)  # touched, so resident
    del block
with ResidentPeakMemory() as kept:
    block = torch.ones(64 * 2**20 // 4)
print(freed.peak, freed.retained, kept.peak, kept.retained)
"""


def test_resident_peak_sees_a_freed_block_and_what_stays():
    # its own interpreter: the malloc setting is process-wide
    out = subprocess.run([sys.executable, '-c', RESIDENT_PROBE], check=True,
                         capture_output=True, text=True).stdout
    freed_peak, freed_left, kept_peak, kept_left = map(int, out.split())
    assert 240 * MIB < freed_peak < 300 * MIB
    assert abs(freed_left) < 16 * MIB
    assert 60 * MIB < kept_peak < 80 * MIB
    assert 60 * MIB < kept_left < 80 * MIB


@pytest.mark.parametrize('amp', [[], ['--amp', '--amp-dtype', 'float16']],
                         ids=['fp32', 'fp16'])
def test_the_tools_record(tiny_image_folder, tmp_path, monkeypatch, amp):
    # the malloc setting would outlive the tool in this shared process
    monkeypatch.setattr(benchmark, 'return_freed_memory_at_once', bool)
    out = tmp_path / 'record.json'
    printed = run_script(
        BENCHMARK, TINY_CONFIG, '--batch', 4, '--size', 32, 32, '--rounds', 2,
        '--warmup', 0, '--teacher-options', 'channels_last', 'no_grad',
        'bf16', '--images', osp.join(tiny_image_folder, '**', '*.png'),
        '--out', out, '--device', 'cpu', *amp)
    record = json.loads(out.read_text())
    steps = record['steps']
    expected = {'student', 'teacher', 'projector', 'distill', 'spectral'}
    if amp:
        expected.add('teacher_fp32')
        assert record['precision'] == 'float16'
    fastest = record['fastest_teacher_option']
    if fastest != 'default':
        expected.add(f'distill[{fastest}]')
    assert set(steps) == expected
    med = {k: v['median_ms'] for k, v in steps.items()}
    fp32 = med.get('teacher_fp32', med['teacher'])
    assert record['ratios'] == pytest.approx({
        'distill/(student+teacher)':
        med['distill'] / (med['student'] + med['teacher']),
        'spectral/student': med['spectral'] / med['student'],
        f'distill[{fastest}]/(student+teacher_fp32)':
        med.get(f'distill[{fastest}]', med['distill'])
        / (med['student'] + fp32)})
    options = record['teacher_options']
    assert list(options) == ['default', 'channels_last', 'no_grad', 'bf16']
    # the same float32 arithmetic in another order or memory format
    for spec in ('default', 'no_grad', 'channels_last'):
        assert options[spec]['cosine_mean'] > 1 - 1e-5
    assert 0.99 < options['bf16']['cosine_mean'] < 1 - 1e-6
    assert options[fastest]['cosine_mean'] >= 0.999
    check = record['memory_check']
    assert check['bound_bytes'] == (steps['student']['peak_bytes']
                                    + steps['teacher']['peak_bytes']
                                    + steps['projector']['peak_bytes'])
    assert check['holds'] == (check['distill_peak_bytes']
                              <= check['bound_bytes'])
    assert 'distill/(student+teacher)' in printed and str(out) in printed
    assert record['teacher_forwards'] == {'distill.teachers.main': 1}


def test_the_tools_record_with_several_pairs(tiny_image_folder, tmp_path,
                                             monkeypatch):
    """Three pairs, two on one teacher: each teacher runs once a step, and
    each pair alone is timed beside the whole."""
    monkeypatch.setattr(benchmark, 'return_freed_memory_at_once', bool)
    out = tmp_path / 'record.json'
    run_script(BENCHMARK, TWO_TEACHERS, '--batch', 4, '--size', 32, 32,
               '--rounds', 2, '--warmup', 0, '--out', out, '--device', 'cpu')
    record = json.loads(out.read_text())
    assert record['teacher_forwards'] == {'distill.teachers.stages': 1,
                                          'distill.teachers.other': 1}
    pairs = ('stage2', 'stage3', 'other')
    assert set(record['steps']) == {
        'student', 'teacher', 'projector', 'distill', 'spectral'} | {
            f'distill[{p} alone]' for p in pairs}
    med = {k: v['median_ms'] for k, v in record['steps'].items()}
    for p in pairs:
        assert record['ratios'][f'distill/distill[{p} alone]'] == \
            pytest.approx(med['distill'] / med[f'distill[{p} alone]'])
    assert record['teacher_options'] == {}
    with pytest.raises(SystemExit, match='compares the settings of one '
                       'teacher'):
        run_script(BENCHMARK, TWO_TEACHERS, '--teacher-options', 'bf16')
