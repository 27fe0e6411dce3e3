"""The statistics of a seeded comparison: mean and spread over seeds, the
paper's Improvement %, and a paired comparison with its 95 % interval."""
import math
from typing import Dict, Optional, Sequence, Tuple

from scipy import stats

#: metrics where a higher value is better (the rest are errors)
HIGHER_IS_BETTER = ('d1', 'd2', 'd3', 'mIoU', 'aAcc', 'mAcc', 'PSNR')


def mean_std(values: Sequence[float]) -> Tuple[float, float]:
    """Mean and sample standard deviation (ddof 1; 0 for one value)."""
    n = len(values)
    if n == 0:
        raise ValueError('no values')
    mean = sum(values) / n
    if n == 1:
        return mean, 0.0
    return mean, math.sqrt(sum((v - mean)**2 for v in values) / (n - 1))


def better_of(metric: str) -> str:
    """``'higher'`` for the metrics of :data:`HIGHER_IS_BETTER`, else
    ``'lower'`` (an error)."""
    return 'higher' if metric in HIGHER_IS_BETTER else 'lower'


def improvement(traditional: float, inverted: float, better: str) -> float:
    """The paper's Improvement (%): the change from the traditional to the
    inverted projection relative to the traditional value, signed so that
    positive is better (``better``: ``'higher'`` for an accuracy,
    ``'lower'`` for an error)."""
    change = 100.0 * (inverted - traditional) / abs(traditional)
    return change if better == 'higher' else -change


def paired_comparison(first: Sequence[float], second: Sequence[float],
                      level: float = 0.95) -> Dict[str, Optional[object]]:
    """``second - first`` seed by seed: the differences, their mean, and
    the Student-t interval of the mean at ``level`` (None for one pair),
    ``mean +- t_{(1+level)/2, n-1} * sd / sqrt(n)``."""
    if len(first) != len(second) or not first:
        raise ValueError(f'a paired comparison needs the same seeds on both '
                         f'sides, got {len(first)} and {len(second)} runs')
    diffs = [b - a for a, b in zip(first, second)]
    mean, sd = mean_std(diffs)
    n = len(diffs)
    interval = None
    if n > 1:
        half = stats.t.ppf((1 + level) / 2, n - 1) * sd / math.sqrt(n)
        interval = (mean - half, mean + half)
    return dict(differences=diffs, mean=mean, interval=interval, n=n,
                level=level)
