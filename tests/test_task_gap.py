"""The task-gap probe on features whose relation is known: closed-form fits
against numpy, CKA against its kernel form, ranks and recommendations."""
import numpy as np
import pytest
import torch

from mmxtkd.analysis import (explained_variance, linear_cka, probe_task_gap,
                             ridge_fit)


def features(n=2000, c_s=16, c_t=24, seed=0):
    rng = np.random.default_rng(seed)
    return rng, torch.tensor(rng.normal(size=(n, c_s)))


def test_ridge_fit_recovers_a_linear_map_as_numpy_least_squares():
    rng, x = features()
    w_true = rng.normal(size=(16, 24))
    y = x @ torch.tensor(w_true) + 3.0  # an offset: the fit is centred
    w = ridge_fit(x, y, alpha=1e-12)
    xc = x.numpy() - x.numpy().mean(0)
    expected = np.linalg.lstsq(xc, y.numpy() - y.numpy().mean(0),
                               rcond=None)[0]
    np.testing.assert_allclose(w.numpy(), expected, atol=1e-8)
    np.testing.assert_allclose(w.numpy(), w_true, atol=1e-8)
    assert explained_variance(x, y, w) == pytest.approx(1.0, abs=1e-12)


def test_linear_cka_equals_its_kernel_form_and_ignores_rotation_and_scale():
    rng, x = features(n=300)
    y = torch.tensor(rng.normal(size=(300, 24))) + 0.5 * (
        x @ torch.tensor(rng.normal(size=(16, 24))))
    # HSIC with linear kernels on centred Gram matrices (Kornblith et al.)
    h = np.eye(300) - 1 / 300
    k, l_ = h @ (x.numpy() @ x.numpy().T) @ h, h @ (
        y.numpy() @ y.numpy().T) @ h
    expected = (k * l_).sum() / np.sqrt((k * k).sum() * (l_ * l_).sum())
    assert linear_cka(x, y) == pytest.approx(expected, rel=1e-9)
    q = torch.linalg.qr(torch.tensor(rng.normal(size=(16, 16)))).Q
    assert linear_cka(x, 3.0 * x @ q) == pytest.approx(1.0, rel=1e-9)
    assert linear_cka(x, torch.zeros(300, 4)) == 0.0


def test_a_noisy_linear_teacher_is_similar_and_an_independent_one_is_not():
    rng, student = features()
    mixing = torch.tensor(rng.normal(size=(16, 24)))
    linear = student @ mixing + 0.1 * torch.tensor(rng.normal(size=(2000, 24)))
    similar = probe_task_gap(student, linear)
    assert similar['recommendation'] == 'traditional'
    assert similar['student_to_teacher']['explained_variance'] > 0.99
    # the teacher's 24 channels hold 16 directions of the student
    assert similar['student_to_teacher']['rank'] == 16
    assert similar['teacher_to_student']['rank'] == 16
    assert similar['linear_cka'] > 0.7  # CKA is not invariant to mixing

    independent = torch.tensor(rng.normal(size=(2000, 24)))
    other = probe_task_gap(student, independent)
    assert other['recommendation'] == 'inverted'
    assert other['student_to_teacher']['explained_variance'] < 0.05
    assert other['linear_cka'] < 0.05
    assert 'traditional if linear CKA >= 0.5' in other['rule']


def test_a_teacher_holding_part_of_the_student_gives_that_rank():
    """A teacher that sees 4 of the student's 16 directions, plus its own
    task-specific ones: only those 4 are predictable from it, and the
    student explains little of the teacher, so: inverted. On 2000 samples
    the other 12 directions get spurious coefficients, so the fitted matrix
    is numerically full rank at 0.01 sigma_1 (as figure 3's projectors are)
    with a gap after the 4 shared directions."""
    rng, student = features()
    shared = student[:, :4] @ torch.tensor(rng.normal(size=(4, 24)))
    own = 3.0 * torch.tensor(rng.normal(size=(2000, 24)))
    result = probe_task_gap(student, shared + own, alpha=1e-6)
    assert result['recommendation'] == 'inverted'
    ev = result['teacher_to_student']['explained_variance']
    assert 0.15 < ev < 0.3  # at most 4 of 16 equal-variance directions
    assert result['teacher_to_student']['rank'] == 16
    s = torch.linalg.svdvals(ridge_fit(shared + own, student, alpha=1e-6))
    assert s[3] / s[4] > 2.5 and s[0] / s[3] < 1.5


def test_explained_variance_is_held_out_so_few_positions_do_not_fake_it():
    """With fewer positions than channels, a fit explains its own rows
    exactly whatever the features; the held-out rows tell the truth."""
    rng = np.random.default_rng(0)
    student = torch.tensor(rng.normal(size=(200, 300)))
    teacher = torch.tensor(rng.normal(size=(200, 150)))
    w = ridge_fit(student, teacher, alpha=1e-9)
    assert explained_variance(student, teacher, w) > 0.99  # in-sample
    result = probe_task_gap(student, teacher)
    assert result['student_to_teacher']['explained_variance'] < 0.05
    assert result['fitted_on'] == 100 and result['positions'] == 200


def test_shapes_are_checked():
    with pytest.raises(ValueError, match=r'same N positions, got \(5, 3\) '
                       r'and \(4, 3\)'):
        probe_task_gap(torch.randn(5, 3), torch.randn(4, 3))
    with pytest.raises(ValueError, match='too few to fit'):
        probe_task_gap(torch.randn(3, 2), torch.randn(3, 2))
