"""Feature losses against independent numpy computations."""
import numpy as np
import pytest
import torch

from mmxtkd.models import (ATLoss, EnsembleCosineLoss, FitNetsLoss, PKTLoss,
                           RelationalTripletLoss)


def rand_pair(shape_s=(4, 6, 5, 3), shape_t=None, seed=0):
    rng = np.random.default_rng(seed)
    s = rng.normal(size=shape_s)
    t = rng.normal(size=shape_t or shape_s)
    return s, t, torch.tensor(s), torch.tensor(t)


def test_fitnets_is_mse_times_weight():
    s, t, ts, tt = rand_pair()
    expected = 0.5 * ((s - t)**2).mean()
    assert FitNetsLoss(loss_weight=0.5)(ts,
                                        tt).item() == pytest.approx(expected)


def at_numpy(f, p):
    a = (f**p).mean(1).reshape(f.shape[0], -1)
    return a / np.linalg.norm(a, axis=1, keepdims=True)


@pytest.mark.parametrize('p', [2.0, 4.0])
def test_attention_transfer_matches_numpy_across_channel_counts(p):
    s, t, ts, tt = rand_pair((3, 5, 4, 4), (3, 9, 4, 4))
    expected = ((at_numpy(s, p) - at_numpy(t, p))**2).mean()
    assert ATLoss(p=p)(ts, tt).item() == pytest.approx(expected)


def test_pkt_matches_explicit_loops():
    s, t, ts, tt = rand_pair((5, 3, 2, 2), (5, 7, 2, 2))
    eps = 1e-7

    def probs(f):
        x = f.reshape(f.shape[0], -1)
        b = len(x)
        sim = np.empty((b, b))
        for i in range(b):
            for j in range(b):
                cos = x[i] @ x[j] / np.linalg.norm(x[i]) / np.linalg.norm(x[j])
                sim[i, j] = (cos + 1) / 2
        return sim / sim.sum(1, keepdims=True)

    ps, pt = probs(s), probs(t)
    expected = np.mean(pt * np.log((pt + eps) / (ps + eps)))
    assert PKTLoss(eps=eps)(ts, tt).item() == pytest.approx(expected, rel=1e-6)
    # identical relations -> zero divergence, whatever the channel count
    assert PKTLoss()(tt, tt).item() == pytest.approx(0, abs=1e-12)


def test_ensemble_cosine_matches_per_position_loop():
    s, t, ts, tt = rand_pair((2, 4, 3, 3))
    vals = []
    for b in range(2):
        for h in range(3):
            for w in range(3):
                u, v = s[b, :, h, w], t[b, :, h, w]
                vals.append(1 - u @ v / np.linalg.norm(u) / np.linalg.norm(v))
    assert EnsembleCosineLoss()(ts, tt).item() == pytest.approx(np.mean(vals))


def test_relational_triplet_matches_explicit_triplets():
    s, t, ts, tt = rand_pair((4, 3, 2, 2), (4, 8, 2, 2))
    tau = 0.7

    def p(f):
        e = f.mean((2, 3))
        e = e / np.linalg.norm(e, axis=1, keepdims=True)
        d = np.linalg.norm(e[:, None] - e[None], axis=2)
        return lambda i, j, k: (
            np.exp(-d[i, j] / tau) /
            (np.exp(-d[i, j] / tau) + np.exp(-d[i, k] / tau)))

    p_s, p_t = p(s), p(t)
    kls = []
    for i in range(4):
        for j in range(4):
            for k in range(4):
                if len({i, j, k}) < 3:
                    continue
                a, b = p_t(i, j, k), p_s(i, j, k)
                kls.append(a * np.log(a / b) + (1 - a) * np.log((1 - a) /
                                                                (1 - b)))
    loss = RelationalTripletLoss(tau=tau)(ts, tt)
    assert loss.item() == pytest.approx(np.mean(kls), rel=1e-6)


def test_relational_triplet_gradient_is_finite_for_duplicate_samples():
    x = torch.ones(3, 4, 2, 2, requires_grad=True)
    loss = RelationalTripletLoss()(x, torch.randn(3, 5, 2, 2))
    loss.backward()
    assert torch.isfinite(x.grad).all()


@pytest.mark.parametrize('loss', [FitNetsLoss(), ATLoss(), PKTLoss(),
                                  EnsembleCosineLoss()])
def test_losses_name_shape_mismatches(loss):
    with pytest.raises(ValueError, match=r'\(2, 3, 4, 4\).*\(2, 3, 5, 4\)'):
        loss(torch.randn(2, 3, 4, 4), torch.randn(2, 3, 5, 4))
    with pytest.raises(ValueError, match='empty batch'):
        loss(torch.randn(0, 3, 4, 4), torch.randn(0, 3, 4, 4))


def test_channel_mismatch_is_an_error_where_channels_must_agree():
    with pytest.raises(ValueError, match='do not match'):
        FitNetsLoss()(torch.randn(2, 3, 4, 4), torch.randn(2, 5, 4, 4))


def test_losses_over_the_batch_say_how_many_samples_they_need():
    """PKT on one sample would be exactly 0 (its own affinity is 1 on both
    sides), every iteration; triplets need three samples. Both name the
    need and the fix, for the last batch of an epoch too."""
    one = torch.randn(1, 3, 2, 2)
    with pytest.raises(ValueError, match=r'PKTLoss .* needs at least 2 in '
                       r'the \(global\) batch, got 1: .*drop_last=True'):
        PKTLoss()(one, one + 1)
    assert PKTLoss()(torch.randn(2, 3, 2, 2), torch.randn(2, 5, 2, 2)) > 0
    with pytest.raises(ValueError, match=r'at least 3 samples .*got 2: .*'
                       'drop_last=True'):
        RelationalTripletLoss()(torch.randn(2, 3, 1, 1),
                                torch.randn(2, 3, 1, 1))


def test_configs_with_batch_losses_drop_a_short_last_batch():
    """Found through the recorded models of every config (which
    tests/test_configs.py holds equal to the configs)."""
    import json
    import os.path as osp

    from mmengine.config import Config

    from conftest import REPO
    with open(osp.join(REPO, 'tests', 'data', 'config_models.json')) as f:
        models = json.load(f)
    using = [name for name, model in models.items()
             if 'PKTLoss' in str(model.get('distill_losses'))
             or 'RelationalTripletLoss' in str(model.get('distill_losses'))]
    assert len(using) == 16
    for name in using:
        cfg = Config.fromfile(osp.join(REPO, 'configs', name),
                              import_custom_modules=False)
        assert cfg.train_dataloader.get('drop_last') is True, name


@pytest.mark.parametrize('loss', [
    FitNetsLoss(),
    ATLoss(),
    PKTLoss(),
    EnsembleCosineLoss(),
    RelationalTripletLoss()
])
def test_teacher_losses_without_a_teacher_say_so(loss):
    with pytest.raises(ValueError, match='teacher'):
        loss(torch.randn(3, 4, 2, 2), None)
