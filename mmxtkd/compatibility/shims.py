"""Shims for the packages mmxtkd builds on where today's Python stack breaks
them, applied while the module that breaks is imported, never by editing
installed files.

Each :class:`Shim` names the module it patches, the release of the package
that breaks it and what it does. :func:`install_shims` (called by
``import mmxtkd``) puts a finder first on ``sys.meta_path`` that wraps the
loader of exactly those modules, and only where the installed version needs
it; a module imported before mmxtkd is not patched.
"""
import importlib.abc
import sys
from contextlib import contextmanager
from dataclasses import dataclass
from types import ModuleType
from typing import Callable, ContextManager, Dict, Iterator, Optional

from packaging.version import Version

from .versions import installed_version


@dataclass(frozen=True)
class Shim:
    """A patch around the execution of one module.

    Args:
        module: the module whose execution is patched.
        package: the distribution whose release breaks it.
        broken_from: the first release of ``package`` that breaks it.
        why: what breaks, for the reader and the tests.
        patch: a context manager factory taking the module being executed;
            what it does before its ``yield`` holds while the module's code
            runs, what it does after, once the code has run.
    """
    module: str
    package: str
    broken_from: str
    why: str
    patch: Callable[[ModuleType], ContextManager[None]]

    def needed(self, found=installed_version) -> bool:
        got = found(self.package)
        return got is not None and Version(got) >= Version(self.broken_from)


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


SHIMS = (
    Shim('mmagic.utils.trans_utils', 'numpy', '2.0',
         "mmagic 1.2.0's dtype table is keyed by numpy.bool8, removed in "
         'numpy 2.0, so importing mmagic fails', _numpy_bool8),
    Shim('mmpretrain.utils.dependency', 'transformers', '4.56',
         'mmpretrain 1.2.0 imports its multimodal models (BLIP, OFA, ...) '
         "whenever transformers >= 4.28 is installed; they import names "
         "transformers 4.56 removed (transformers.modeling_utils' "
         'PreTrainedModel among them), so importing mmpretrain.models '
         'fails. mmxtkd uses none of them', _without_multimodal),
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


def install_shims(shims=SHIMS, found=installed_version) -> ShimFinder:
    """Puts a finder for the shims this environment needs first on
    ``sys.meta_path`` (once per process: a second call replaces it)."""
    sys.meta_path[:] = [f for f in sys.meta_path
                        if not isinstance(f, ShimFinder)]
    finder = ShimFinder({s.module: s for s in shims if s.needed(found)})
    sys.meta_path.insert(0, finder)
    return finder
