"""Section 3.4 measured: the L2 distillation loss split into knowledge
transfer and spectral regularisation (eq. 5, supplementary eqs. 15-18).

With the projected teacher map ``Zt_bar = Z_t P`` and the student map
``Z_s`` read as (positions, channels) matrices, and ``k`` the indices of the
``r`` numerically non-zero singular values of ``Zt_bar``, the triangle
inequality gives

    ||Zt_bar - Z_s|| <= ||Zt_bar_k - Z_s_k||      (knowledge transfer)
                      + ||Z_s - Z_s_k||            (student regularisation)
                      + ||Zt_bar - Zt_bar_k||      (teacher tail)

where ``X_k`` keeps the top ``r`` singular triplets of ``X`` and every norm
is Frobenius. The teacher tail is the part of ``Zt_bar`` below the rank
tolerance; it is zero when ``Zt_bar`` has exactly rank ``r``, and then the
bound is the paper's eq. 18.
"""
from typing import Dict

import torch


def numerical_rank(singular_values: torch.Tensor, tol: float) -> int:
    """Count of ``sigma_i > tol * sigma_1`` (0 for an all-zero matrix)."""
    if singular_values.numel() == 0 or singular_values[0] <= 0:
        return 0
    return int((singular_values > tol * singular_values[0]).sum())


def truncated(u: torch.Tensor, s: torch.Tensor, vh: torch.Tensor,
              rank: int) -> torch.Tensor:
    """``U_r diag(s_r) Vh_r``: the top ``rank`` singular triplets."""
    return (u[:, :rank] * s[:rank]) @ vh[:rank]


def loss_decomposition(student: torch.Tensor, projected_teacher: torch.Tensor,
                       tol: float = 0.01) -> Dict[str, float]:
    """The terms of the bound above for ``student`` (N, C) and
    ``projected_teacher`` (N, C) rows of the same N positions, in float64:
    ``rank`` (of the projected teacher, ``sigma_i > tol * sigma_1``),
    ``loss`` (``||Zt_bar - Z_s||_F``), ``transfer``, ``regularisation``,
    ``teacher_tail``, and ``bound`` (their sum)."""
    if student.dim() != 2 or student.shape != projected_teacher.shape:
        raise ValueError('loss_decomposition needs (N, C) student and '
                         'projected-teacher rows of the same shape, got '
                         f'{tuple(student.shape)} and '
                         f'{tuple(projected_teacher.shape)}')
    z_s, z_t = student.double(), projected_teacher.double()
    u_t, s_t, vh_t = torch.linalg.svd(z_t, full_matrices=False)
    u_s, s_s, vh_s = torch.linalg.svd(z_s, full_matrices=False)
    rank = numerical_rank(s_t, tol)
    terms = dict(
        rank=rank,
        loss=float(torch.linalg.norm(z_t - z_s)),
        transfer=float(torch.linalg.norm(
            truncated(u_t, s_t, vh_t, rank) - truncated(u_s, s_s, vh_s,
                                                        rank))),
        regularisation=float(s_s[rank:].pow(2).sum().sqrt()),
        teacher_tail=float(s_t[rank:].pow(2).sum().sqrt()))
    terms['bound'] = (terms['transfer'] + terms['regularisation']
                      + terms['teacher_tail'])
    return terms
