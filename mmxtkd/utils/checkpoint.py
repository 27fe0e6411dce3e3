"""Safe loading of mmengine Runner checkpoints under torch >= 2.6.

torch.load defaults to ``weights_only=True`` since torch 2.6, and mmengine
0.10.x calls it without the argument, so ``--resume`` and ``load_from`` fail on
what Runner checkpoints carry besides tensors: ``HistoryBuffer`` objects with
numpy arrays and scalars, and functions stored as attributes (the buffer's
statistics methods, OneCycle's annealing function), which pickle as
``getattr(cls, name)``. Instead of turning safe loading off, exactly these are
allow-listed; ``getattr`` is replaced, for the unpickler only, by a look-up
that resolves nothing but those named attributes.
"""
from typing import Dict, Set

import numpy as np
import torch

try:  # numpy >= 2 moved the module; pickles name the one they were made with
    from numpy._core import multiarray as _multiarray
except ImportError:  # pragma: no cover - numpy 1.x
    from numpy.core import multiarray as _multiarray

#: the module of numpy's array reconstruction as numpy 1.x (``numpy.core``)
#: and numpy 2 (``numpy._core``) name it in pickles: a checkpoint written
#: under either loads under the other
_MULTIARRAY_NAMES = ('numpy.core.multiarray', 'numpy._core.multiarray')


def _safe_attributes() -> Dict[type, Set[str]]:
    from mmengine.logging import HistoryBuffer
    from mmengine.optim.scheduler.param_scheduler import OneCycleParamScheduler
    return {
        HistoryBuffer: {'min', 'max', 'current', 'mean'}
        | set(HistoryBuffer._statistics_methods),  # + registered ones
        OneCycleParamScheduler: {'_annealing_cos', '_annealing_linear'},
    }


def checkpoint_getattr(owner, name: str):
    """Stand-in for ``getattr`` in checkpoints: only the attributes of
    :func:`_safe_attributes`."""
    if name in _safe_attributes().get(owner, ()):
        return getattr(owner, name)
    raise RuntimeError(
        f'refusing getattr({owner!r}, {name!r}) while loading a checkpoint: '
        'only the functions that mmengine checkpoints store are allowed')


def mmengine_checkpoint_types() -> list:
    """The non-tensor globals found in mmengine Runner checkpoints."""
    dtypes = [getattr(np.dtypes, name) for name in dir(np.dtypes)
              if name.endswith('DType')]
    arrays = [(getattr(_multiarray, name), f'{module}.{name}')
              for module in _MULTIARRAY_NAMES
              for name in ('_reconstruct', 'scalar')]
    return [*_safe_attributes(), np.ndarray, np.dtype, *arrays,
            (checkpoint_getattr, 'builtins.getattr')] + dtypes


def allow_mmengine_checkpoint_types() -> None:
    """Add :func:`mmengine_checkpoint_types` to torch's safe globals."""
    torch.serialization.add_safe_globals(mmengine_checkpoint_types())
