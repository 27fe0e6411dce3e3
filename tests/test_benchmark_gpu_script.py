"""tools/benchmark_gpu.sh as far as a machine without a GPU checks it (its
--quick --allow-cpu rehearsal runs for minutes: not in the suite)."""
import os
import os.path as osp
import re
import subprocess
import sys

import pytest
import torch

from conftest import REPO

SCRIPT = osp.join(REPO, 'tools', 'benchmark_gpu.sh')


def run(*args):
    env = dict(os.environ, PATH=osp.dirname(sys.executable) + os.pathsep +
               os.environ['PATH'])
    return subprocess.run(['bash', SCRIPT, *args], capture_output=True,
                          text=True, env=env, cwd=REPO, timeout=120)


def test_every_config_and_tool_it_runs_exists():
    text = open(SCRIPT).read()
    paths = set(re.findall(r'\b((?:configs|tools|tests)/[\w/.-]+\.(?:py|sh))',
                           text))
    assert len(paths) >= 10
    missing = [p for p in paths if not osp.isfile(osp.join(REPO, p))]
    assert not missing


def test_help_and_a_wrong_argument():
    help_text = run('--help').stdout
    assert 'GPU figures' in help_text and '--no-tests' in help_text
    wrong = run('--iterations', '3')
    assert wrong.returncode == 2 and "unknown argument '--iterations'" in \
        wrong.stderr


@pytest.mark.skipif(torch.cuda.is_available(), reason='a GPU is here')
def test_without_a_gpu_it_stops_before_measuring(tmp_path):
    out = run('--no-install', '--out', str(tmp_path))
    assert out.returncode == 1
    assert 'sees no CUDA GPU' in out.stderr and '--allow-cpu' in out.stderr
    assert open(tmp_path / 'steps.tsv').read() == ''  # no step ran
