"""The offline install's logic, on folders the tests make (no network):
tools/wheelhouse_closure.py on a pip report, and tools/install.sh
--wheelhouse's checks and its pip calls."""
import json
import os
import os.path as osp
import stat
import subprocess

import pytest

from conftest import REPO, run_script

INSTALL = osp.join(REPO, 'tools', 'install.sh')


def item(name, version, requires=(), requested=False):
    return dict(metadata=dict(name=name, version=version,
                              requires_dist=list(requires)),
                requested=requested)


REPORT = dict(install=[
    item('timm', '1.0.31', ['torch', 'torchvision', 'PyYAML',
                            'huggingface_hub'], requested=True),
    item('torch', '2.14.1', ['typing-extensions>=4.10', 'sympy>=1.13',
                             'nvidia-cublas; platform_system == "Linux"'],
         requested=True),
    item('torchvision', '0.29.1', ['torch==2.14.1', 'numpy', 'pillow']),
    item('PyYAML', '6.0.3'),
    item('huggingface-hub', '0.20.3', ['typing_extensions>=3.7', 'tqdm',
                                       'InquirerPy==0.3.4; extra == "cli"']),
    item('typing_extensions', '4.15.0'),
    item('sympy', '1.14.0', ['mpmath<1.4']),
    item('mpmath', '1.3.0'),
    item('nvidia-cublas', '13.1.0'),
    item('numpy', '1.26.4', requested=True),
    item('pillow', '13.0.0'),
    item('tqdm', '4.70.1'),
])


def closure(report, without):
    path = osp.join(REPO, 'tools', 'wheelhouse_closure.py')
    import importlib.util
    spec = importlib.util.spec_from_file_location('wheelhouse_closure', path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.closure(report, without)


def test_closure_leaves_out_what_only_torch_needs():
    """typing_extensions stays (huggingface-hub needs it too), sympy,
    mpmath and the CUDA wheel go with torch; pillow, needed only by
    torchvision, goes too; an extra not resolved is no edge."""
    assert closure(REPORT, ['torch', 'torchvision']) == [
        'PyYAML==6.0.3', 'huggingface-hub==0.20.3', 'numpy==1.26.4',
        'timm==1.0.31', 'tqdm==4.70.1', 'typing_extensions==4.15.0']
    with_torch = closure(REPORT, [])
    assert len(with_torch) == len(REPORT['install'])
    assert 'nvidia-cublas==13.1.0' in with_torch


def test_closure_tool_prints_one_pin_a_line(tmp_path):
    path = tmp_path / 'report.json'
    path.write_text(json.dumps(REPORT))
    out = run_script(osp.join(REPO, 'tools', 'wheelhouse_closure.py'),
                     str(path))
    assert out.splitlines()[0] == 'PyYAML==6.0.3'
    assert 'torch==2.14.1' not in out and 'sympy' not in out


def install(*args, **env):
    return subprocess.run(['bash', INSTALL, *args], capture_output=True,
                          text=True, env=dict(os.environ, **env))


def test_wheelhouse_checks_name_the_folder_and_the_fix(tmp_path):
    out = install('--wheelhouse', str(tmp_path / 'none'), '--current-env')
    assert out.returncode == 1
    assert 'no wheelhouse at' in out.stderr
    assert 'make_wheelhouse.sh' in out.stderr
    out = install('--wheelhouse', str(tmp_path), '--current-env')
    assert out.returncode == 1
    assert f'{tmp_path} has no mmcv-2.1.0.tar.gz' in out.stderr


def test_every_pip_call_reads_the_wheelhouse_only(tmp_path):
    """A stand-in python records what its first pip call is given, then
    fails: pip runs with no index and the wheelhouse as its only source."""
    house = tmp_path / 'house'
    house.mkdir()
    (house / 'mmcv-2.1.0.tar.gz').write_bytes(b'')
    bin_dir, record = tmp_path / 'bin', tmp_path / 'pip_call'
    bin_dir.mkdir()
    stub = bin_dir / 'python'
    stub.write_text(
        '#!/usr/bin/env bash\n'
        'case "$*" in\n'
        f'  *sys.prefix*) echo {tmp_path} ;;\n'
        '  --version) echo Python 3.11 ;;\n'
        f'  "-m pip"*) echo "$PIP_NO_INDEX $PIP_FIND_LINKS $*" > {record}; '
        'exit 3 ;;\n'
        '  *) exit 1 ;;\n'
        'esac\n')
    stub.chmod(stub.stat().st_mode | stat.S_IEXEC)
    out = install('--wheelhouse', str(house), '--current-env',
                  PATH=f'{bin_dir}:{os.environ["PATH"]}')
    assert out.returncode == 3, out.stdout + out.stderr
    no_index, links, *call = record.read_text().split()
    assert (no_index, links) == ('1', str(house))
    assert call[:4] == ['-m', 'pip', 'install', '--upgrade']


@pytest.mark.parametrize('option', ['--python-version', '--with-torch'])
def test_make_wheelhouse_needs_a_folder(option):
    args = [option, '3.11'] if option == '--python-version' else [option]
    out = subprocess.run(['bash', osp.join(REPO, 'tools',
                                           'make_wheelhouse.sh'), *args],
                         capture_output=True, text=True)
    assert out.returncode == 2
    assert 'give the folder to fill' in out.stderr
