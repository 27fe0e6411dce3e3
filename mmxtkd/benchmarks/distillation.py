"""Timing and peak memory of training steps, run round-robin, and how far a
teacher option (inference mode, channels-last, its own autocast, its native
input size) moves the teacher's map.

Used by ``tools/analysis/benchmark_distill.py``; each piece is small enough
to be checked against an independent measurement in the tests.
"""
import ctypes
import os
import statistics
import threading
import time
from typing import Callable, Dict, List, Optional, Sequence, Tuple

import torch
import torch.nn.functional as F

from mmxtkd.models.alignment import resize_map

#: teacher option name -> FrozenTeacher keyword arguments ('native' is
#: filled with the teacher's native input size by :func:`teacher_options`)
TEACHER_OPTIONS = {
    'default': {},
    'no_grad': dict(inference_mode=False),
    'channels_last': dict(channels_last=True),
    'bf16': dict(autocast_dtype='bfloat16'),
    'fp16': dict(autocast_dtype='float16'),
    'native': dict(input_size=None),
}


def teacher_options(spec: str,
                    native_size: Optional[Tuple[int, int]]) -> dict:
    """``'bf16+native'`` -> the FrozenTeacher keyword arguments it stands for
    (``TEACHER_OPTIONS``, joined with ``+``)."""
    kwargs = {}
    for name in spec.split('+'):
        if name not in TEACHER_OPTIONS:
            raise ValueError(f'unknown teacher option {name!r} in {spec!r}; '
                             f'choose from {", ".join(TEACHER_OPTIONS)} '
                             "(joined with '+')")
        if name == 'native':
            if native_size is None:
                raise ValueError(
                    f'{spec!r}: the teacher config gives no native input '
                    'size (img_size); pass --native-size H W')
            kwargs['input_size'] = tuple(native_size)
        else:
            kwargs.update(TEACHER_OPTIONS[name])
    return kwargs


def map_cosine(maps: torch.Tensor, reference: torch.Tensor,
               grid: Tuple[int, int]) -> Tuple[float, float]:
    """Mean and minimum, over samples and positions, of the cosine between
    the channel vectors of two maps (B, C, h, w) after both are brought to
    ``grid`` as the distillation losses see them (:func:`resize_map`)."""
    cosine = F.cosine_similarity(resize_map(maps.float(), grid),
                                 resize_map(reference.float(), grid), dim=1)
    return float(cosine.mean()), float(cosine.min())


class CudaPeakMemory:
    """Peak of CUDA's allocator during the block, over what was allocated
    when it began (``peak``), and what the block left allocated
    (``retained``), in bytes."""

    def __init__(self, device: torch.device) -> None:
        self.device = device
        self.peak = self.retained = 0

    def __enter__(self) -> 'CudaPeakMemory':
        torch.cuda.synchronize(self.device)
        self._before = torch.cuda.memory_allocated(self.device)
        torch.cuda.reset_peak_memory_stats(self.device)
        return self

    def __exit__(self, *exc) -> None:
        torch.cuda.synchronize(self.device)
        self.peak = torch.cuda.max_memory_allocated(self.device) - self._before
        self.retained = torch.cuda.memory_allocated(self.device) - self._before


def resident_bytes() -> int:
    """This process's resident set (Linux ``/proc/self/statm``)."""
    try:
        with open('/proc/self/statm') as f:
            pages = int(f.read().split()[1])
    except OSError as err:
        raise RuntimeError('resident memory is read from /proc/self/statm, '
                           'which this system lacks') from err
    return pages * os.sysconf('SC_PAGE_SIZE')


def return_freed_memory_at_once() -> bool:
    """Make glibc's malloc serve every block over 64 KiB by mmap (a fixed
    threshold, instead of one that grows with the largest block freed), so
    that a freed tensor leaves the resident set at once and a step's peak
    resident memory is its own. False where there is no glibc."""
    try:
        libc = ctypes.CDLL('libc.so.6')
    except OSError:
        return False
    m_mmap_threshold = -3
    return bool(libc.mallopt(m_mmap_threshold, 64 * 1024))


class ResidentPeakMemory:
    """Peak of the resident set during the block over its size when the
    block began (``peak``), sampled every ``interval`` seconds by a thread,
    and what the block left resident (``retained``), in bytes. A lower bound
    of the block's own memory when the allocator keeps freed memory."""

    def __init__(self, interval: float = 5e-4) -> None:
        self.interval = interval
        self.peak = self.retained = 0

    def _sample(self) -> None:
        while not self._done.is_set():
            self._max = max(self._max, resident_bytes())
            time.sleep(self.interval)

    def __enter__(self) -> 'ResidentPeakMemory':
        self._before = self._max = resident_bytes()
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._done.set()
        self._thread.join()
        after = resident_bytes()
        self.peak = max(self._max, after) - self._before
        self.retained = after - self._before


def peak_memory_meter(device: torch.device):
    """A fresh meter of the right kind for ``device``."""
    if device.type == 'cuda':
        return CudaPeakMemory(device)
    return ResidentPeakMemory()


def round_robin(steps: Dict[str, Callable[[], None]], rounds: int,
                warmup: int, sync: Callable[[], None] = lambda: None
                ) -> Dict[str, List[float]]:
    """Run every step once per round, in order, ``warmup + rounds`` times,
    so that drift of the machine hits all alike; the seconds of each step in
    the timed rounds."""
    times: Dict[str, List[float]] = {name: [] for name in steps}
    for r in range(warmup + rounds):
        for name, step in steps.items():
            sync()
            t0 = time.perf_counter()
            step()
            sync()
            if r >= warmup:
                times[name].append(time.perf_counter() - t0)
    return times


def summary(seconds: Sequence[float]) -> Dict[str, float]:
    """Median and quartiles in milliseconds."""
    q1, _, q3 = statistics.quantiles(seconds, n=4)
    return dict(median_ms=1000 * statistics.median(seconds),
                q1_ms=1000 * q1, q3_ms=1000 * q3)
