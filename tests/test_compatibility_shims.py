"""The shims for today's numpy and transformers (mmxtkd.compatibility.shims):
each one applied exactly around the module it is for, and each one needed:
the module it patches fails to import without it, in a fresh process."""
import subprocess
import sys
import textwrap

import pytest

from mmxtkd.compatibility import SHIMS, Shim, install_shims
from mmxtkd.compatibility.shims import release_at_least


def _run(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, '-W', 'ignore', '-c', code],
                          capture_output=True, text=True, timeout=300)


def _shim(module: str) -> Shim:
    return next(s for s in SHIMS if s.module == module)


def test_a_shim_is_needed_from_the_release_that_breaks():
    assert all(shim.why and callable(shim.needed) for shim in SHIMS)
    assert release_at_least('numpy', '2.0', found=lambda _: '2.4.6')
    assert not release_at_least('numpy', '2.0', found=lambda _: '1.26.4')
    assert not release_at_least('numpy', '2.0', found=lambda _: None)
    assert release_at_least('transformers', '4.56', found=lambda _: '4.56.0')
    assert not release_at_least('transformers', '4.56',
                                found=lambda _: '4.55.4')


def test_a_shim_patches_its_module_only_while_it_runs(tmp_path, monkeypatch):
    """A made-up package: the patch holds while the shimmed module's code
    runs, its after-part runs once the code has run, a sibling module is
    not patched, and the finder found the module through the other finders
    (the import system's own, from sys.path)."""
    package = tmp_path / 'shimmed_pkg'
    package.mkdir()
    (package / '__init__.py').write_text('')
    (package / 'table.py').write_text(
        'import shimmed_state\nSEEN = shimmed_state.patched\n')
    (package / 'other.py').write_text(
        'import shimmed_state\nSEEN = shimmed_state.patched\n')
    state = type(sys)('shimmed_state')
    state.patched = False
    monkeypatch.setitem(sys.modules, 'shimmed_state', state)
    monkeypatch.syspath_prepend(str(tmp_path))
    from contextlib import contextmanager

    @contextmanager
    def patch(module):
        state.patched = True
        try:
            yield
        finally:
            state.patched = False
        module.AFTER = True

    shim = Shim('shimmed_pkg.table', 'a test', lambda: True, patch)
    monkeypatch.setattr(sys, 'meta_path', list(sys.meta_path))
    install_shims([shim])
    import shimmed_pkg.other
    import shimmed_pkg.table
    assert shimmed_pkg.table.SEEN is True and shimmed_pkg.table.AFTER
    assert shimmed_pkg.other.SEEN is False and state.patched is False
    assert shimmed_pkg.table.__spec__.origin == str(package / 'table.py')
    for name in ('shimmed_pkg', 'shimmed_pkg.table', 'shimmed_pkg.other'):
        monkeypatch.delitem(sys.modules, name)
    # not needed by the installed version: the module runs as it is
    finder = install_shims([Shim('shimmed_pkg.table', 'a test',
                                 lambda: False, patch)])
    assert finder.shims == {}
    import shimmed_pkg.table  # noqa: F811
    assert shimmed_pkg.table.SEEN is False
    assert not hasattr(shimmed_pkg.table, 'AFTER')


def _needs(module: str) -> None:
    if not _shim(module).needed():
        pytest.skip(f'this environment does not need the shim for {module} '
                    '(the other CI stack does)')


def test_mmagic_imports_under_numpy_2():
    pytest.importorskip('mmagic')
    _needs('mmagic.utils.trans_utils')
    without = _run('import mmagic.models')
    assert without.returncode != 0
    assert "has no attribute 'bool8'" in without.stderr
    with_shim = _run(textwrap.dedent("""
        import numpy
        import mmxtkd
        import mmagic.models
        from mmagic.utils.trans_utils import dtype_limits
        assert dtype_limits(numpy.zeros(2, bool)) == (False, True)
        assert not hasattr(numpy, 'bool8')  # only while mmagic's table ran
        """))
    assert with_shim.returncode == 0, with_shim.stderr


def test_mmpretrain_imports_with_current_transformers():
    pytest.importorskip('transformers')
    _needs('mmpretrain.utils.dependency')
    without = _run('import mmpretrain.models')
    assert without.returncode != 0, 'the shim is no longer needed'
    with_shim = _run(textwrap.dedent("""
        import mmxtkd
        import mmpretrain.models
        from mmpretrain.registry import MODELS
        from mmpretrain.utils import dependency
        assert dependency.WITH_MULTIMODAL is False
        try:
            MODELS.build(dict(type='BlipCaption'))
        except ImportError as err:
            assert 'multi-modal' in str(err)
        else:
            raise AssertionError('BLIP built')
        """))
    assert with_shim.returncode == 0, with_shim.stderr


def test_albumentations_does_not_look_for_updates(tmp_path):
    """Importing mmxtkd first: albumentations opens no URL at import (on an
    offline node each look-up is a time-out), in this process and in a
    worker it starts; a user's own setting is kept."""
    pytest.importorskip('albumentations')
    code = textwrap.dedent("""
        import os, urllib.request
        def refuse(*args, **kwargs):
            raise SystemExit('albumentations looked for an update')
        urllib.request.urlopen = refuse
        urllib.request.OpenerDirector.open = refuse
        import mmxtkd
        import albumentations
        print(os.environ['NO_ALBUMENTATIONS_UPDATE'])
        """)
    done = _run(code)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == '1'


def test_mmengine_finds_package_configs_without_pkg_resources():
    """Imported before or after mmengine, mmxtkd's shim gives mmengine's
    package utilities back where setuptools has no pkg_resources."""
    _needs('mmengine.utils.package_utils')
    use = ("from mmengine.utils import get_installed_path\n"
           "print(get_installed_path('mmsegmentation'))\n")
    without = _run(use)
    assert without.returncode != 0 and 'pkg_resources' in without.stderr
    for order in ('import mmxtkd\n' + use, use.replace(
            'print', 'import mmxtkd\nprint')):
        done = _run(order)
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip().endswith('mmseg')
    config = _run("import mmxtkd\nfrom mmengine.config import Config\n"
                  "Config.fromfile('configs/teacher_free/deit-ti_baseline.py')")
    assert config.returncode == 0, config.stderr


def test_the_package_utilities_on_metadata_answer_as_pkg_resources():
    """Where pkg_resources is there: the replacements give what mmengine's
    own functions give, for installed distributions whose module is named
    otherwise, a plain module and a missing one."""
    pytest.importorskip('pkg_resources')
    from mmengine.utils import package_utils

    from mmxtkd.compatibility import shims
    if getattr(package_utils, '_mmxtkd_shimmed', False):
        pytest.skip('mmengine is shimmed here')
    for name in ('numpy', 'mmsegmentation', 'mmcv', 'mmengine', 'PyYAML',
                 'opencv-python-headless', 'no_such_package', 'os'):
        assert shims.is_installed(name) == package_utils.is_installed(name)
        if package_utils.is_installed(name):
            assert shims.get_installed_path(name) == \
                package_utils.get_installed_path(name)
    for name in ('mmsegmentation', 'PyYAML', 'opencv-python-headless'):
        assert shims.package2module(name) == \
            package_utils.package2module(name)
