"""Shims for the packages mmxtkd builds on where today's Python stack breaks
them, applied while the module that breaks is imported, never by editing
installed files.

Each :class:`Shim` names the module it patches, the release that breaks it
and what it does. :func:`install_shims` (called by ``import mmxtkd``) puts a
finder first on ``sys.meta_path`` that wraps the loader of exactly those
modules, and only where the installed versions need it. A module imported
before mmxtkd gets the part of its patch that can still apply (the
replaced functions of mmengine's package utilities); one that failed to
import or already ran with the old behaviour does not.
"""
import importlib.abc
import importlib.util
import sys
from contextlib import contextmanager
from dataclasses import dataclass
from types import ModuleType
from typing import Callable, ContextManager, Dict, Iterator, Optional

from packaging.version import Version

from .versions import installed_version


def release_at_least(package: str, release: str,
                     found=installed_version) -> bool:
    """Whether ``package`` is installed at ``release`` or later."""
    got = found(package)
    return got is not None and Version(got) >= Version(release)


@dataclass(frozen=True)
class Shim:
    """A patch around the execution of one module.

    Args:
        module: the module whose execution is patched.
        why: what breaks, from which release, for the reader and the tests.
        needed: whether this environment needs it.
        patch: a context manager factory taking the module being executed;
            what it does before its ``yield`` holds while the module's code
            runs, what it does after, once the code has run.
    """
    module: str
    why: str
    needed: Callable[[], bool]
    patch: Callable[[ModuleType], ContextManager[None]]


@contextmanager
def _numpy_bool8(module: ModuleType) -> Iterator[None]:
    """``numpy.bool8`` (the alias of ``numpy.bool_`` removed in numpy 2.0)
    while the module runs, removed again afterwards."""
    import numpy
    numpy.bool8 = numpy.bool_
    try:
        yield
    finally:
        del numpy.bool8


@contextmanager
def _without_multimodal(module: ModuleType) -> Iterator[None]:
    """mmpretrain's multimodal models off: it then registers placeholders
    for them that raise an ImportError when built."""
    yield
    module.WITH_MULTIMODAL = False


def is_installed(package: str) -> bool:
    """mmengine's ``is_installed`` on importlib.metadata: a distribution of
    that name, else an importable module of that name with a file. (It
    runs with mmengine's module globals: it imports what it uses.)"""
    import importlib.metadata
    import importlib.util
    try:
        importlib.metadata.distribution(package)
        return True
    except importlib.metadata.PackageNotFoundError:
        spec = importlib.util.find_spec(package)
        return spec is not None and spec.origin is not None


def get_installed_path(package: str) -> str:
    """mmengine's ``get_installed_path`` on importlib.metadata: the folder
    ``<package>`` (else its module's) where the distribution is installed,
    else the folder of the module of that name."""
    import importlib.metadata
    import importlib.util
    import os.path as osp
    try:
        location = str(importlib.metadata.distribution(package).locate_file(
            ''))
    except importlib.metadata.PackageNotFoundError:
        spec = importlib.util.find_spec(package)
        if spec is None:
            raise
        if spec.origin is None:
            raise RuntimeError(f'{package} is a namespace package, which is '
                               'invalid for `get_install_path`')
        return osp.dirname(spec.origin)
    possible_path = osp.join(location, package)
    if osp.exists(possible_path):
        return possible_path
    return osp.join(location, package2module(package))  # noqa: F821


def package2module(package: str) -> str:
    """mmengine's ``package2module`` on importlib.metadata: the first line
    of the distribution's ``top_level.txt``."""
    import importlib.metadata
    top_level = importlib.metadata.distribution(package).read_text(
        'top_level.txt')
    if top_level:
        return top_level.split('\n')[0]
    raise ValueError(f'can not infer the module name of {package}')


@contextmanager
def _package_utils_on_metadata(module: ModuleType) -> Iterator[None]:
    """mmengine's ``is_installed``, ``get_installed_path`` and
    ``package2module`` run the code above instead, with their module's
    globals: the function objects stay, so names bound to them elsewhere
    change too."""
    yield
    for replacement in (is_installed, get_installed_path, package2module):
        getattr(module, replacement.__name__).__code__ = \
            replacement.__code__


def _without_pkg_resources() -> bool:
    return importlib.util.find_spec('pkg_resources') is None


SHIMS = (
    Shim('mmagic.utils.trans_utils',
         "mmagic 1.2.0's dtype table is keyed by numpy.bool8, removed in "
         'numpy 2.0, so importing mmagic fails',
         lambda: release_at_least('numpy', '2.0'), _numpy_bool8),
    Shim('mmpretrain.utils.dependency',
         'mmpretrain 1.2.0 imports its multimodal models (BLIP, OFA, ...) '
         "whenever transformers >= 4.28 is installed; they import names "
         "transformers 4.56 removed (transformers.modeling_utils' "
         'PreTrainedModel among them), so importing mmpretrain.models '
         'fails. mmxtkd uses none of them',
         lambda: release_at_least('transformers', '4.56'),
         _without_multimodal),
    Shim('mmengine.utils.package_utils',
         "mmengine 0.10's is_installed and get_installed_path import "
         'pkg_resources, which setuptools 81 removed (and a Python 3.12 '
         "virtual environment has no setuptools at all), so every 'pkg::' "
         'config path (mmxtkd::, mmseg::, ...) fails',
         _without_pkg_resources, _package_utils_on_metadata),
)


class _ShimLoader(importlib.abc.Loader):
    """The module's own loader, its execution inside the shim's patch."""

    def __init__(self, loader: importlib.abc.Loader, shim: Shim):
        self.loader = loader
        self.shim = shim

    def create_module(self, spec) -> Optional[ModuleType]:
        return self.loader.create_module(spec)

    def exec_module(self, module: ModuleType) -> None:
        with self.shim.patch(module):
            self.loader.exec_module(module)
        module._mmxtkd_shimmed = True

    def __getattr__(self, name: str):
        # get_source, get_code, ... for tracebacks and inspect
        return getattr(self.loader, name)


class ShimFinder(importlib.abc.MetaPathFinder):
    """Finds the shimmed modules with the other finders and wraps their
    loader."""

    def __init__(self, shims: Dict[str, Shim]):
        self.shims = shims

    def find_spec(self, fullname, path, target=None):
        shim = self.shims.get(fullname)
        if shim is None:
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, 'find_spec'):
                continue
            spec = finder.find_spec(fullname, path, target)
            if spec is not None:
                if spec.loader is not None:
                    spec.loader = _ShimLoader(spec.loader, shim)
                return spec
        return None


def install_shims(shims=SHIMS) -> ShimFinder:
    """Puts a finder for the shims this environment needs first on
    ``sys.meta_path`` (once per process: a second call replaces it), and
    patches those of their modules that are imported already."""
    sys.meta_path[:] = [f for f in sys.meta_path
                        if not isinstance(f, ShimFinder)]
    finder = ShimFinder({s.module: s for s in shims if s.needed()})
    sys.meta_path.insert(0, finder)
    for shim in finder.shims.values():
        module = sys.modules.get(shim.module)
        if module is not None and not getattr(module, '_mmxtkd_shimmed',
                                              False):
            with shim.patch(module):
                pass
    return finder
