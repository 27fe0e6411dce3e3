"""SpectralRegLoss: value and gradient against numpy's SVD, degenerate
cases."""
from collections import namedtuple

import numpy as np
import pytest
import torch

from mmxtkd.models import SpectralRegLoss

Eigh = namedtuple('Eigh', 'eigenvalues eigenvectors')


def as_matrix(feat: np.ndarray) -> np.ndarray:
    b, c, h, w = feat.shape
    return feat.transpose(0, 2, 3, 1).reshape(-1, c)


def numpy_reference(feat: np.ndarray, r: int):
    """(tail energy / numel, its gradient) from a full numpy SVD."""
    z = as_matrix(feat)
    u, s, vt = np.linalg.svd(z, full_matrices=False)
    z_r = (u[:, :r] * s[:r]) @ vt[:r]
    value = (s[r:]**2).sum() / z.size
    b, c, h, w = feat.shape
    grad = (2 * (z - z_r) / z.size).reshape(b, h, w, c).transpose(0, 3, 1, 2)
    return value, grad


def value_and_grad(feat: np.ndarray, **kwargs):
    x = torch.tensor(feat, requires_grad=True)
    loss = SpectralRegLoss(**kwargs)(x)
    loss.backward()
    return loss.item(), x.grad.numpy()


@pytest.mark.parametrize('r', [1, 2, 3])
def test_value_and_gradient_match_numpy_svd(r):
    feat = np.random.default_rng(r).normal(size=(2, 6, 3, 4))
    ref_v, ref_g = numpy_reference(feat, r)
    v, g = value_and_grad(feat, rank=r, reduction='mean')
    assert v == pytest.approx(ref_v, rel=1e-9)
    np.testing.assert_allclose(g, ref_g, atol=1e-12)


def test_norm_reduction_is_eq6():
    feat = np.random.default_rng(0).normal(size=(2, 5, 2, 3))
    s = np.linalg.svd(as_matrix(feat), compute_uv=False)
    v, g = value_and_grad(feat, rank=2, reduction='norm', loss_weight=3.0)
    assert v == pytest.approx(3.0 * np.sqrt((s[2:]**2).sum()), rel=1e-9)
    # d||T|| = T / ||T||, with T = 2 (Z - Z_r) / numel * numel / 2
    ref_v, ref_g = numpy_reference(feat, 2)
    tail = ref_g * as_matrix(feat).size / 2
    np.testing.assert_allclose(
        g, 3.0 * tail / np.linalg.norm(tail), atol=1e-10)


def test_rms_reduction_is_the_norm_over_the_square_root_of_the_rows():
    """The default: eq. 6's norm divided by sqrt(N), N = B*H*W rows."""
    feat = np.random.default_rng(4).normal(size=(2, 5, 2, 3))
    s = np.linalg.svd(as_matrix(feat), compute_uv=False)
    v, g = value_and_grad(feat, rank=2)
    assert SpectralRegLoss().reduction == 'rms'
    assert v == pytest.approx(np.sqrt((s[2:]**2).sum() / 12), rel=1e-9)
    _, g_norm = value_and_grad(feat, rank=2, reduction='norm')
    np.testing.assert_allclose(g, g_norm / np.sqrt(12), atol=1e-12)


@pytest.mark.parametrize('method', ['exact', 'sketch'])
def test_rms_does_not_change_with_the_batch_size(method):
    """The same per-sample features twice: the same loss and the same
    gradient on them (their two copies' gradients add up to it), as a mean
    task loss gives; eq. 6's raw norm grows by sqrt(2)."""
    rng = np.random.default_rng(5)
    u, _ = np.linalg.qr(rng.normal(size=(96, 40)))
    z = (u * 0.8**np.arange(40)) @ np.linalg.qr(rng.normal(size=(40, 40)))[0]
    feat = torch.tensor(z.reshape(2, 6, 8, 40).transpose(0, 3, 1, 2).copy(),
                        requires_grad=True)
    for reduction, growth in (('rms', 1.0), ('norm', np.sqrt(2))):
        loss = SpectralRegLoss(rank=2, reduction=reduction, method=method,
                               exact_max_dim=8)
        once = loss(feat)
        grad_once, = torch.autograd.grad(once, feat)
        twice = loss(torch.cat([feat, feat]))
        grad_twice, = torch.autograd.grad(twice, feat)
        assert float(twice) == pytest.approx(growth * float(once), rel=1e-6)
        if reduction == 'rms':
            torch.testing.assert_close(grad_twice, grad_once, rtol=1e-6,
                                       atol=1e-9)


def test_randomised_sketch_is_accurate_on_a_decaying_spectrum():
    """Wide features (C > rank + oversample): the sketch, not the exact SVD."""
    rng = np.random.default_rng(1)
    u, _ = np.linalg.qr(rng.normal(size=(512, 64)))
    v, _ = np.linalg.qr(rng.normal(size=(64, 64)))
    s = 0.7**np.arange(64)
    z = (u * s) @ v.T
    feat = z.reshape(2, 16, 16, 64).transpose(0, 3, 1, 2)
    ref_v, ref_g = numpy_reference(feat, 2)
    v_, g = value_and_grad(feat, rank=2, reduction='mean', method='sketch')
    assert v_ == pytest.approx(ref_v, rel=1e-6)
    np.testing.assert_allclose(g, ref_g, atol=1e-6 * np.abs(ref_g).max())


@pytest.mark.parametrize('dtype', [torch.float32, torch.float64])
@pytest.mark.parametrize('r', [1, 2, 4])
def test_exact_path_is_eq6_on_a_flat_spectrum(r, dtype):
    """A Gaussian 120x16 matrix (flat spectrum, where the sketch is ~0.1% off
    with few power iterations): 'auto' solves it exactly."""
    feat = np.random.default_rng(r).normal(size=(2, 16, 6, 10))
    s = np.linalg.svd(as_matrix(feat), compute_uv=False)
    x = torch.tensor(feat, dtype=dtype, requires_grad=True)
    loss = SpectralRegLoss(rank=r, reduction='norm')(x)
    loss.backward()
    tol = 1e-6 if dtype == torch.float32 else 1e-12
    assert loss.item() == pytest.approx(np.sqrt((s[r:]**2).sum()), rel=tol)
    _, ref_g = numpy_reference(feat, r)
    np.testing.assert_allclose(x.grad.numpy(), ref_g / np.linalg.norm(ref_g),
                               atol=10 * tol)


def test_exact_path_with_fewer_positions_than_channels():
    """N < C: the (N, N) Gram matrix, then V = Z^T U / sigma."""
    feat = np.random.default_rng(5).normal(size=(1, 40, 2, 3))  # N=6, C=40
    ref_v, ref_g = numpy_reference(feat, 2)
    v, g = value_and_grad(feat, rank=2, reduction='mean', method='exact')
    assert v == pytest.approx(ref_v, rel=1e-10)
    np.testing.assert_allclose(g, ref_g, atol=1e-12)


def test_method_and_reduction_are_checked():
    with pytest.raises(ValueError, match="method must be 'auto'"):
        SpectralRegLoss(method='svd')
    with pytest.raises(ValueError, match="reduction must be 'rms', 'norm' or"):
        SpectralRegLoss(reduction='sum')


def test_all_zero_features_give_zero_loss_and_zero_gradient():
    for reduction in ('mean', 'norm', 'rms'):
        v, g = value_and_grad(
            np.zeros((2, 4, 3, 3)), rank=2, reduction=reduction)
        assert v == 0
        assert np.all(g == 0)


def test_rank_below_r_gives_zero_loss():
    rng = np.random.default_rng(2)
    z = np.outer(rng.normal(size=18), rng.normal(size=5))  # rank 1
    feat = z.reshape(2, 3, 3, 5).transpose(0, 3, 1, 2)
    for reduction in ('norm', 'mean', 'rms'):
        for method in ('exact', 'sketch'):
            v, g = value_and_grad(feat, rank=2, reduction=reduction,
                                  method=method)
            # the tail is rounding noise: no loss and no gradient along it
            assert v == 0 and np.all(g == 0)


def test_repeated_singular_values_value_is_exact_and_gradient_finite():
    # Z = [I_4; 0] * 2: four equal singular values; any 2 of them are 'top 2'
    z = np.zeros((8, 4))
    z[:4] = 2 * np.eye(4)
    feat = z.reshape(2, 2, 2, 4).transpose(0, 3, 1, 2)
    v, g = value_and_grad(feat, rank=2, reduction='mean')
    assert v == pytest.approx(2 * 4 / z.size)
    assert np.isfinite(g).all()
    # the gradient is 2 (Z - Z_r) / numel for *a* best rank-2 Z_r: it removes
    # exactly two of the four unit directions
    zg = as_matrix(g) * z.size / 2
    assert np.linalg.matrix_rank(zg) == 2
    np.testing.assert_allclose(np.linalg.svd(zg, compute_uv=False)[:2], 2)


@pytest.mark.parametrize('r', [4, 9])
def test_rank_at_least_channels_is_refused_then_a_few_rows_give_zero(r):
    """rank >= C would make the loss 0 at every step: refused at the first
    call (and at build time when the channels are configured); a later
    batch of fewer rows than the rank (an epoch's last) gives 0."""
    loss = SpectralRegLoss(rank=r)
    with pytest.raises(ValueError, match=rf'SpectralRegLoss\(rank={r}\) on '
                       r'4-channel features keeps every direction: the loss '
                       r'would be 0 at every step\. Use a rank below 4'):
        loss(torch.randn(2, 4, 3, 3))
    with pytest.raises(ValueError, match=r'rank=3\) on a batch of 2 feature '
                       r'rows \(16 channels\) keeps every direction'):
        SpectralRegLoss(rank=3)(torch.randn(2, 16))
    loss = SpectralRegLoss(rank=3)
    loss(torch.randn(4, 16))
    x = torch.randn(2, 16, requires_grad=True)
    value = loss(x)
    value.backward()
    assert value.item() == 0 and torch.all(x.grad == 0)


def test_a_rank_at_least_the_configured_channels_fails_at_build():
    from mmxtkd.models import FeaturePair
    with pytest.raises(ValueError, match=r'spectral: SpectralRegLoss\(rank='
                       r'100\) on 64-channel features keeps every direction'):
        FeaturePair(dict(spectral=dict(type='mmxtkd.SpectralRegLoss',
                                       rank=100)), student_channels=64)
    FeaturePair(dict(spectral=dict(type='mmxtkd.SpectralRegLoss', rank=8)),
                student_channels=64)


def test_float16_features_are_computed_in_float32():
    x = torch.randn(2, 8, 4, 4).half()
    loss = SpectralRegLoss(rank=2)(x)
    assert loss.dtype == torch.float32 and torch.isfinite(loss)


def test_bad_input_errors():
    with pytest.raises(ValueError, match='rank must be >= 1'):
        SpectralRegLoss(rank=0)
    with pytest.raises(ValueError, match='reduction'):
        SpectralRegLoss(reduction='sum')
    with pytest.raises(ValueError, match=r'\(B, C, H, W\) map, \(B, N, C\) '
                       r'tokens or a \(B, C\) embedding, got shape \(4,\)'):
        SpectralRegLoss()(torch.randn(4))
    with pytest.raises(ValueError, match='empty'):
        SpectralRegLoss(num_extra_tokens=1)(torch.randn(2, 1, 8))
    with pytest.raises(ValueError, match='empty'):
        SpectralRegLoss()(torch.randn(0, 5, 2, 2))
    with pytest.raises(ValueError, match='NaN or Inf'):
        SpectralRegLoss()(torch.full((1, 3, 2, 2), float('nan')))


@pytest.mark.parametrize('solver_raises', [True, False])
@pytest.mark.parametrize('method', ['exact', 'sketch'])
@pytest.mark.parametrize('bad', [float('nan'), float('inf')])
def test_features_with_nan_or_inf_are_refused_by_every_path(
        method, bad, solver_raises, monkeypatch):
    """The check runs after the solvers (not to stall a GPU before them):
    one bad value among good ones, and a batch of rows <= rank, still get
    the error naming it, whether the eigensolver raises on the non-finite
    matrix (LAPACK here) or returns NaN without a word (as a GPU's may)."""
    if not solver_raises:
        def nan_eigh(matrix):
            nan = torch.full_like(matrix, float('nan'))
            return Eigh(nan[..., 0], nan)
        monkeypatch.setattr(torch.linalg, 'eigh', nan_eigh)
    feat = torch.randn(2, 40, 3, 3)
    feat[1, 7, 2, 0] = bad
    with pytest.raises(ValueError, match='NaN or Inf'):
        SpectralRegLoss(rank=2, method=method)(feat)
    loss = SpectralRegLoss(rank=2, method=method)
    loss(torch.randn(2, 40, 3, 3))
    few_rows = torch.randn(1, 40, 1, 2)
    few_rows[0, 0, 0, 1] = bad
    with pytest.raises(ValueError, match='NaN or Inf'):
        loss(few_rows)


def test_tokens_and_embeddings_are_rows_of_z():
    """A ViT's patch tokens (B, 1 + N, C), class token left out, are the map
    (B, C, h, w) they come from; an embedding (B, C) is Z itself."""
    rng = np.random.default_rng(0)
    grid = rng.normal(size=(2, 6, 3, 4))  # (B, C, h, w)
    tokens = np.concatenate([rng.normal(size=(2, 1, 6)),  # class token
                             grid.reshape(2, 6, 12).transpose(0, 2, 1)], 1)
    loss = SpectralRegLoss(rank=2, num_extra_tokens=1)
    assert loss(torch.tensor(tokens)).item() == pytest.approx(
        loss(torch.tensor(grid)).item(), rel=1e-12)
    embedding = rng.normal(size=(16, 6))
    s = np.linalg.svd(embedding, compute_uv=False)
    assert SpectralRegLoss(rank=2, reduction='norm')(
        torch.tensor(embedding)).item() == \
        pytest.approx(np.sqrt((s[2:] ** 2).sum()), rel=1e-9)


def test_global_random_state_is_untouched():
    x = torch.randn(2, 64, 8, 8)
    state = torch.get_rng_state()
    SpectralRegLoss(rank=1, method='sketch')(x)
    assert torch.equal(torch.get_rng_state(), state)
