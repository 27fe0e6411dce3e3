"""The offline install's logic, on folders the tests make (no network):
tools/wheelhouse_closure.py on a pip report, tools/install.sh
--wheelhouse's checks and its pip calls; the install onto an existing
environment (--current-env, --target) and the wheelhouse for a node's own
package list, resolved by pip against an index folder of made-up wheels."""
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
        '  *version_info*) echo cp311 ;;\n'
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
    # the first: the build tools, into a folder of their own
    assert call[:3] == ['-m', 'pip', 'install'] and '--target' in call


@pytest.mark.parametrize('option', ['--python-version', '--with-torch'])
def test_make_wheelhouse_needs_a_folder(option):
    args = [option, '3.11'] if option == '--python-version' else [option]
    out = subprocess.run(['bash', osp.join(REPO, 'tools',
                                           'make_wheelhouse.sh'), *args],
                         capture_output=True, text=True)
    assert out.returncode == 2
    assert 'give the folder to fill' in out.stderr


def fake_wheel(folder, name, version, requires=()):
    """A pure-Python wheel of project ``name``: a module of that name and
    the metadata pip reads (its RECORD with the files' hashes)."""
    import base64
    import hashlib
    import zipfile
    dist = f'{name}-{version}.dist-info'
    files = {
        f'{name}.py': f'VERSION = {version!r}\n',
        f'{dist}/METADATA': f'Metadata-Version: 2.1\nName: {name}\n'
        f'Version: {version}\n' + ''.join(f'Requires-Dist: {r}\n'
                                           for r in requires),
        f'{dist}/WHEEL': 'Wheel-Version: 1.0\nGenerator: tests\n'
        'Root-Is-Purelib: true\nTag: py3-none-any\n',
    }
    record = ''.join(
        '{},sha256={},{}\n'.format(path, base64.urlsafe_b64encode(
            hashlib.sha256(text.encode()).digest()).rstrip(b'=').decode(),
            len(text.encode())) for path, text in files.items())
    files[f'{dist}/RECORD'] = record + f'{dist}/RECORD,,\n'
    with zipfile.ZipFile(folder / f'{name}-{version}-py3-none-any.whl',
                         'w') as whl:
        for path, text in files.items():
            whl.writestr(path, text)


@pytest.fixture
def index(tmp_path):
    """An index folder: alpha needs beta and numpy; numpy 1.0 and 2.5;
    an OpenMMLab stand-in, mmfake."""
    folder = tmp_path / 'index'
    folder.mkdir()
    fake_wheel(folder, 'alpha', '1.0', ['beta', 'numpy>=1'])
    fake_wheel(folder, 'beta', '1.0')
    fake_wheel(folder, 'numpy', '1.0')
    fake_wheel(folder, 'numpy', '2.5')
    fake_wheel(folder, 'mmfake', '1.0')
    return folder


def requirements(tmp_path, runtime='alpha\nnumpy\n'):
    """A requirements folder of the real one's files, with made-up
    projects: the tested pins say numpy 1.0."""
    folder = tmp_path / 'requirements'
    folder.mkdir(exist_ok=True)
    files = dict(runtime=runtime, tests='', torch='', build='', editing='',
                 editing_openmmlab='', editing_mminstall='',
                 constraints='numpy==1.0\nalpha==1.0\n',
                 openmmlab='mmfake==1.0\n', mminstall='mmfake>=1.0,<2.0\n')
    for name, text in files.items():
        (folder / f'{name}.txt').write_text(text)
    return folder


def offline(index, reqs, **env):
    return dict(PIP_NO_INDEX='1', PIP_FIND_LINKS=str(index),
                MMXTKD_REQUIREMENTS=str(reqs), **env)


def test_node_wheelhouse_holds_only_what_the_node_lacks(tmp_path, index):
    """From the node's package list: what it has is left out and stays at
    its version (numpy 2.5, although the tested pin is 1.0), what it lacks
    comes at the tested pin; without the list, the whole closure."""
    reqs = requirements(tmp_path)
    freeze = tmp_path / 'node_freeze.txt'
    freeze.write_text('numpy==2.5\nmmfake==1.0\ntorch==2.11.0+cu130\n'
                      'local-thing @ file:///opt/local-thing\n')
    script = osp.join(REPO, 'tools', 'make_wheelhouse.sh')

    def listed(*args):
        out = subprocess.run(['bash', script, '--list', '--core', *args],
                             capture_output=True, text=True,
                             env=dict(os.environ, **offline(index, reqs)))
        assert out.returncode == 0, out.stderr
        return out.stdout.split()

    assert listed('--installed', str(freeze)) == ['alpha==1.0', 'beta==1.0']
    assert listed() == ['alpha==1.0', 'beta==1.0', 'numpy==1.0',
                        'mmfake==1.0']


def test_stub_site_is_what_pip_sees_installed(tmp_path):
    from conftest import run_script
    freeze = tmp_path / 'freeze.txt'
    freeze.write_text('markdown-it-py==4.3.0\nzope.interface==8.0\n'
                      'torch==2.11.0+cu130\n-e git+https://x/y#egg=y\n')
    run_script(osp.join(REPO, 'tools', 'wheelhouse_closure.py'),
               '--stub-site', str(freeze), str(tmp_path / 'site'))
    import importlib.metadata as metadata
    found = {d.metadata['Name']: d.version for d in metadata.distributions(
        path=[str(tmp_path / 'site')])}
    assert found == {'markdown-it-py': '4.3.0', 'zope.interface': '8.0',
                     'torch': '2.11.0+cu130'}


@pytest.fixture
def small_env(tmp_path, index):
    """A virtual environment that already has numpy 2.5 (newer than the
    tested pin)."""
    env = tmp_path / 'env'
    subprocess.run(['python3', '-m', 'venv', str(env)], check=True)
    subprocess.run([str(env / 'bin' / 'python'), '-m', 'pip', 'install',
                    '--quiet', '--no-index', '--find-links', str(index),
                    'numpy==2.5'], check=True)
    return env


def test_current_env_keeps_a_newer_numpy_and_refuses_a_downgrade(
        tmp_path, index, small_env):
    path = f'{small_env}/bin:{os.environ["PATH"]}'
    out = install('--current-env', '--plan', PATH=path,
                  **offline(index, requirements(tmp_path)))
    assert out.returncode == 0, out.stdout + out.stderr
    planned = [line.split() for line in out.stdout.splitlines()
               if line.startswith('      ')]
    assert planned == [['new', 'alpha', '1.0'], ['new', 'beta', '1.0'],
                       ['new', 'mmfake', '1.0']]
    assert 'plan only: nothing installed' in out.stdout
    # a range the installed numpy is outside of: refused, nothing installed
    out = install('--current-env', PATH=path, **offline(
        index, requirements(tmp_path, runtime='alpha\nnumpy<2\n')))
    assert out.returncode == 3, out.stdout + out.stderr
    assert 'would downgrade numpy 2.5 -> 1.0' in out.stderr
    listed = subprocess.run([str(small_env / 'bin' / 'python'), '-m', 'pip',
                             'list', '--format=freeze'], capture_output=True,
                            text=True).stdout
    assert 'numpy==2.5' in listed and 'alpha' not in listed


def test_overlay_installs_what_the_environment_lacks_into_a_folder(
        tmp_path, index):
    """--target on this machine's own environment (everything but a
    made-up alpha installed): alpha and beta go into the folder, the
    environment is left as it was, mmxtkd works from the folder and this
    checkout; a second run finds it up to date."""
    import shutil
    import sys
    reqs = tmp_path / 'requirements'
    shutil.copytree(osp.join(REPO, 'requirements'), reqs)
    with open(reqs / 'runtime.txt', 'a') as f:
        f.write('alpha\n')
    site = tmp_path / 'site'
    env = dict(offline(index, reqs),
               PATH=f'{osp.dirname(sys.executable)}:{os.environ["PATH"]}')
    out = install('--target', str(site), **env)
    assert out.returncode == 0, out.stdout + out.stderr
    assert sorted(p.name for p in site.iterdir() if p.suffix == '.py') == [
        'alpha.py', 'beta.py']
    assert not list(site.glob('numpy*')), 'the overlay copied numpy'
    assert f'export PYTHONPATH={site}:{REPO}' in out.stdout
    alone = subprocess.run([sys.executable, '-c', 'import alpha'],
                           capture_output=True)
    assert alone.returncode != 0, 'alpha was installed into the environment'
    again = install('--target', str(site), **env)
    assert again.returncode == 0 and 'is up to date' in again.stdout


def test_stub_site_from_pip_inspect_keeps_each_ones_requirements(tmp_path):
    """From ``pip inspect``: the node's packages with their Requires-Dist,
    so that pip's dry run sees what a planned package forces on them."""
    from conftest import run_script
    listing = tmp_path / 'inspect.json'
    listing.write_text(json.dumps(dict(installed=[
        dict(metadata=dict(name='transformers', version='5.17.0',
                           requires_dist=['huggingface-hub>=1.0',
                                          'numpy>=1.17'])),
        dict(metadata=dict(name='huggingface_hub', version='1.33.0'))])))
    run_script(osp.join(REPO, 'tools', 'wheelhouse_closure.py'),
               '--stub-site', str(listing), str(tmp_path / 'site'))
    import importlib.metadata as metadata
    found = {d.metadata['Name']: (d.version, d.requires) for d in
             metadata.distributions(path=[str(tmp_path / 'site')])}
    assert found == {
        'transformers': ('5.17.0', ['huggingface-hub>=1.0', 'numpy>=1.17']),
        'huggingface_hub': ('1.33.0', None)}
