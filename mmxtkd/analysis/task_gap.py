"""How far apart a teacher's features are from a student's: the linear maps
between them in closed form, their numerical ranks, and linear CKA.

The paper's advice (tables 1, 6, figure 4) is the inverted projection when
the teacher's task differs from the student's and the traditional one when
it is the same. :func:`probe_task_gap` measures the difference on features
(one row per position, as the spectral loss and figure 3 read maps) and
turns it into a recommendation with a stated rule.
"""
from typing import Dict

import torch

from .decomposition import numerical_rank

#: the recommendation's thresholds (see :func:`recommend`)
SIMILAR_CKA = 0.5
SIMILAR_EXPLAINED = 0.5


def ridge_fit(x: torch.Tensor, y: torch.Tensor,
              alpha: float = 0.1) -> torch.Tensor:
    """The (C_x, C_y) matrix ``W`` minimising ``||Yc - Xc W||^2 +
    alpha * tr(Xc^T Xc) / C_x * ||W||^2`` for centred ``x`` (N, C_x) and
    ``y`` (N, C_y), in float64: ridge least squares whose penalty is
    relative to the features' scale."""
    x, y = _centred(x), _centred(y)
    gram = x.t() @ x
    ridge = alpha * gram.trace() / gram.shape[0]
    eye = torch.eye(gram.shape[0], dtype=gram.dtype, device=gram.device)
    return torch.linalg.solve(gram + ridge * eye, x.t() @ y)


def explained_variance(x: torch.Tensor, y: torch.Tensor,
                       w: torch.Tensor) -> float:
    """``1 - ||Yc - Xc W||^2 / ||Yc||^2`` (each centred on its own mean):
    the share of ``y``'s variance that ``x W`` reproduces (1 exact, 0
    nothing, negative worse than the mean)."""
    x, y = _centred(x), _centred(y)
    total = y.pow(2).sum()
    if total == 0:
        return 1.0
    return float(1 - (y - x @ w).pow(2).sum() / total)


def linear_cka(x: torch.Tensor, y: torch.Tensor) -> float:
    """Linear centred kernel alignment (Kornblith et al. 2019) of ``x``
    (N, C_x) and ``y`` (N, C_y): ``||Yc^T Xc||_F^2 / (||Xc^T Xc||_F
    ||Yc^T Yc||_F)``, in [0, 1], invariant to rotations and scale."""
    x, y = _centred(x), _centred(y)
    denominator = torch.linalg.norm(x.t() @ x) * torch.linalg.norm(y.t() @ y)
    if denominator == 0:
        return 0.0
    return float(torch.linalg.norm(y.t() @ x) ** 2 / denominator)


def recommend(cka: float, student_to_teacher: float) -> str:
    """'traditional' when the two feature spaces are close - linear CKA
    >= ``SIMILAR_CKA`` and the student's features explain at least
    ``SIMILAR_EXPLAINED`` of the teacher's variance, so that mapping the
    student into the teacher's space loses little - else 'inverted', which
    maps the teacher into the student's space and can discard what the
    student's task does not need."""
    similar = cka >= SIMILAR_CKA and student_to_teacher >= SIMILAR_EXPLAINED
    return 'traditional' if similar else 'inverted'


RULE = (f"traditional if linear CKA >= {SIMILAR_CKA} and the student's "
        f'features explain >= {SIMILAR_EXPLAINED:.0%} of the teacher\'s '
        'variance (student -> teacher fit), else inverted')


def probe_task_gap(student: torch.Tensor, teacher: torch.Tensor,
                   alpha: float = 0.1, tol: float = 0.01,
                   holdout: float = 0.5) -> Dict:
    """Both linear maps between ``student`` (N, C_s) and ``teacher``
    (N, C_t) features of the same N positions, fitted by ridge least
    squares on the first ``1 - holdout`` of the rows: for each, the
    explained variance on the held-out rows (in-sample it would approach 1
    whenever N is not much larger than the channels) and the numerical rank
    of the fitted matrix (``sigma_i > tol * sigma_1``, as figure 3); the
    linear CKA of the two (all rows); and the recommended projection with
    :data:`RULE`."""
    if student.dim() != 2 or teacher.dim() != 2 or len(student) != len(
            teacher):
        raise ValueError('probe_task_gap needs (N, C) student and teacher '
                         f'features of the same N positions, got '
                         f'{tuple(student.shape)} and {tuple(teacher.shape)}')
    fit_rows = int(round(len(student) * (1 - holdout)))
    if not 1 < fit_rows < len(student) - 1:
        raise ValueError(f'{len(student)} positions leave too few to fit '
                         f'and to hold out {holdout:.0%} of them')
    result = dict(positions=len(student), fitted_on=fit_rows)
    for name, x, y in (('teacher_to_student', teacher, student),
                       ('student_to_teacher', student, teacher)):
        w = ridge_fit(x[:fit_rows], y[:fit_rows], alpha)
        result[name] = dict(
            explained_variance=explained_variance(x[fit_rows:], y[fit_rows:],
                                                  w),
            rank=numerical_rank(torch.linalg.svdvals(w), tol),
            shape=tuple(w.shape))
    result['linear_cka'] = linear_cka(student, teacher)
    result['recommendation'] = recommend(
        result['linear_cka'],
        result['student_to_teacher']['explained_variance'])
    result['rule'] = RULE
    return result


def _centred(z: torch.Tensor) -> torch.Tensor:
    z = z.double()
    return z - z.mean(0, keepdim=True)
