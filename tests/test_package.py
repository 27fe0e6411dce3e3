"""The package's version, licence and citation metadata."""
import os.path as osp
import sys

import pytest
import yaml
from packaging.requirements import Requirement

import mmxtkd
from conftest import REPO
from mmxtkd.version import parse_version_info

#: whether this is the README's environment (.venv, the tested pins) rather
#: than one mmxtkd was installed onto (tools/install.sh --current-env)
PINNED = osp.realpath(sys.prefix) == osp.realpath(osp.join(REPO, '.venv'))


def test_version_info_is_the_version_as_a_tuple():
    assert mmxtkd.version_info == parse_version_info(mmxtkd.__version__)
    assert parse_version_info('1.2.3') == (1, 2, 3)
    assert parse_version_info('1.2.0rc1') == (1, 2, 0, 'rc1')
    assert parse_version_info('2.10.0') > parse_version_info('2.9.9')
    with pytest.raises(ValueError, match="'x.1' is not a version"):
        parse_version_info('x.1')


def test_licence_and_citation_agree_with_setup():
    with open(osp.join(REPO, 'LICENSE')) as f:
        licence = f.read()
    assert 'Apache License' in licence and 'Version 2.0, January 2004' in \
        licence and 'END OF TERMS AND CONDITIONS' in licence
    with open(osp.join(REPO, 'setup.py')) as f:
        assert "license='Apache License 2.0'" in f.read()
    with open(osp.join(REPO, 'CITATION.cff')) as f:
        citation = yaml.safe_load(f)
    assert citation['license'] == 'Apache-2.0'
    assert citation['version'] == mmxtkd.__version__
    with open(osp.join(REPO, 'README.md')) as f:
        readme = f.read()
    # the README's BibTeX cites the same two papers
    for paper in [citation['preferred-citation']] + citation['references']:
        assert f'title     = {{{paper["title"]}}}' in readme or \
            f'title   = {{{paper["title"]}}}' in readme


def test_openmmlab_versions_outside_the_ranges_are_named():
    from mmxtkd.compatibility import SUPPORTED, check_openmmlab_versions
    check_openmmlab_versions()  # this environment's
    tested = {'mmengine': '0.10.7', 'mmcv': '2.1.0',
              'mmsegmentation': '1.2.2', 'mmdet': '3.3.0',
              'mmpretrain': '1.2.0', 'mmagic': '1.2.0'}
    check_openmmlab_versions(tested.get)
    # a task's package missing is not this check's business
    check_openmmlab_versions(dict(tested, mmagic=None).get)
    with pytest.raises(ImportError, match=r'mmcv 2\.2\.0 is installed, '
                       r'mmxtkd needs >=2\.0\.0rc4, <2\.2\.0; mmsegmentation '
                       r'1\.1\.2 is installed.*tools/install\.sh'):
        check_openmmlab_versions(dict(tested, mmcv='2.2.0',
                                      mmsegmentation='1.1.2').get)
    with pytest.raises(ImportError, match='mmengine is not installed'):
        check_openmmlab_versions(dict(tested, mmengine=None).get)
    # mim's file states the same ranges
    with open(osp.join(REPO, 'requirements', 'mminstall.txt')) as f:
        lines = [x.strip() for x in f if x.strip() and not x.startswith('#')]
    # (mmagic, the editing extra's, is in setup.py's 'editing' extra)
    assert lines == [f'{name}>={low},<{high}'
                     for name, (low, high) in SUPPORTED.items()
                     if name != 'mmagic']


def _lines(name: str) -> list:
    with open(osp.join(REPO, 'requirements', name + '.txt')) as f:
        lines = (x.split('#', 1)[0].strip() for x in f)
        return [x for x in lines if x]


def _requirements(name: str) -> list:
    return [Requirement(x) for x in _lines(name)]


def test_install_requires_are_the_requirement_files():
    """setup.py declares requirements/runtime.txt as install_requires and
    mminstall / tests / docs as extras; each range admits its tested
    version in constraints.txt, which pins exactly what this environment
    has."""
    import importlib.metadata as metadata
    import runpy
    from unittest import mock
    with mock.patch('setuptools.setup') as setup:
        runpy.run_path(osp.join(REPO, 'setup.py'), run_name='__main__')
    declared = setup.call_args.kwargs
    assert declared['install_requires'] == _lines('runtime')
    # no upper bound on numpy, transformers or huggingface_hub in the core;
    # huggingface_hub < 0.26 is the editing extra's (diffusers 0.24)
    names = {Requirement(r).name: Requirement(r)
             for r in declared['install_requires']}
    assert str(names['numpy'].specifier) == ''
    assert 'transformers' not in names and 'huggingface_hub' not in names
    assert 'huggingface_hub<0.26' in declared['extras_require']['editing']
    assert 'mmagic>=1.2.0,<1.3.0' in declared['extras_require']['editing']
    assert sorted(declared['extras_require']) == [
        'docs', 'editing', 'mim', 'tests']
    assert declared['extras_require']['mim'] == _lines('mminstall')
    pins = {r.name.lower(): r for r in _requirements('constraints')}
    for req in _requirements('runtime') + _requirements('tests'):
        pin = pins[req.name.lower()]
        (spec, ) = pin.specifier
        assert spec.operator == '==', pin
        assert req.specifier.contains(spec.version), (req, pin)
        installed = metadata.version(req.name)
        assert req.specifier.contains(installed), (req, installed)
        if PINNED:  # the README's .venv holds the tested versions
            assert installed == spec.version, pin
