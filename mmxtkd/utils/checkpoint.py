"""Safe loading of mmengine Runner checkpoints under torch >= 2.6.

torch.load defaults to ``weights_only=True`` since torch 2.6, and mmengine
0.10.x calls it without the argument, so ``--resume`` and ``load_from`` fail on
the message-hub state that Runner checkpoints carry: ``HistoryBuffer`` objects
with numpy arrays and scalars, and the buffer's statistics methods, which
pickle as ``getattr(HistoryBuffer, 'mean')``. Instead of turning safe loading
off, exactly these are allow-listed; ``getattr`` is replaced, for the
unpickler only, by a look-up that resolves nothing but those methods.
"""
import numpy as np
import torch

try:  # numpy >= 2 moved the module; pickles name the one they were made with
    from numpy._core import multiarray as _multiarray
except ImportError:  # pragma: no cover - numpy 1.x
    from numpy.core import multiarray as _multiarray


def history_buffer_method(owner, name: str):
    """Stand-in for ``getattr`` in checkpoints: only HistoryBuffer's
    statistics methods (``min``, ``max``, ``mean``, ``current``, ...)."""
    from mmengine.logging import HistoryBuffer
    allowed = {'min', 'max', 'current', 'mean'} | set(
        HistoryBuffer._statistics_methods)  # built-ins + registered ones
    if owner is HistoryBuffer and name in allowed:
        return getattr(HistoryBuffer, name)
    raise RuntimeError(
        f'refusing getattr({owner!r}, {name!r}) while loading a checkpoint: '
        'only mmengine HistoryBuffer statistics methods are allowed')


def mmengine_checkpoint_types() -> list:
    """The non-tensor globals found in mmengine Runner checkpoints."""
    from mmengine.logging import HistoryBuffer
    dtypes = [getattr(np.dtypes, name) for name in dir(np.dtypes)
              if name.endswith('DType')]
    return [HistoryBuffer, np.ndarray, np.dtype, _multiarray._reconstruct,
            _multiarray.scalar, (history_buffer_method, 'builtins.getattr')
            ] + dtypes


def allow_mmengine_checkpoint_types() -> None:
    """Add :func:`mmengine_checkpoint_types` to torch's safe globals."""
    torch.serialization.add_safe_globals(mmengine_checkpoint_types())
