"""The package's version, licence and citation metadata."""
import os.path as osp

import pytest
import yaml

import mmxtkd
from conftest import REPO
from mmxtkd.version import parse_version_info


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
