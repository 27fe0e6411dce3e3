"""Section 3.4's decomposition of the L2 distillation loss: a hand-built
case in closed form, the bound on random maps, and SpectralRankHook
measuring it on the maps a training step compared."""
import json
import math
from types import SimpleNamespace

import pytest
import torch
from mmengine.logging import MessageHub
from mmpretrain.structures import DataSample

from mmxtkd.analysis.decomposition import loss_decomposition
from mmxtkd.engine import SpectralRankHook
from mmxtkd.models import CrossTaskDistiller
from test_distiller import STUDENT, TEACHER  # the tiny classifier pair


def orthonormal(rows: int, cols: int, seed: int) -> torch.Tensor:
    gen = torch.Generator().manual_seed(seed)
    return torch.linalg.qr(torch.randn(rows, cols, generator=gen,
                                       dtype=torch.float64))[0]


def test_a_rank_two_teacher_on_the_students_directions():
    """Z_s = U diag(4, 3, 2, 1) V^T, Zt_bar = U_2 diag(5, 1) V_2^T: rank 2,
    transfer ||(5-4) u1 v1 + (1-3) u2 v2|| = sqrt(5), regularisation
    ||2 u3 v3 + u4 v4|| = sqrt(5), no teacher tail, loss sqrt(1+4+4+1)."""
    u, v = orthonormal(6, 4, 0), orthonormal(4, 4, 1)
    student = u @ torch.diag(torch.tensor([4., 3., 2., 1.],
                                          dtype=torch.float64)) @ v.t()
    teacher = u[:, :2] @ torch.diag(torch.tensor(
        [5., 1.], dtype=torch.float64)) @ v[:, :2].t()
    terms = loss_decomposition(student, teacher)
    assert terms['rank'] == 2
    assert terms['transfer'] == pytest.approx(math.sqrt(5))
    assert terms['regularisation'] == pytest.approx(math.sqrt(5))
    assert terms['teacher_tail'] == pytest.approx(0, abs=1e-12)
    assert terms['loss'] == pytest.approx(math.sqrt(10))
    assert terms['loss'] <= terms['bound'] == pytest.approx(2 * math.sqrt(5))


def test_the_tail_under_the_tolerance_is_its_own_term():
    """A third teacher direction at 0.5 % of the first: below the 1 %
    tolerance, so rank 2 and a teacher tail of exactly that part; at a
    0.1 % tolerance it counts (rank 3, no tail)."""
    u, v = orthonormal(8, 5, 2), orthonormal(5, 5, 3)
    sigma = torch.tensor([2., 1., 0.01], dtype=torch.float64)
    teacher = u[:, :3] @ torch.diag(sigma) @ v[:, :3].t()
    student = u @ torch.diag(torch.tensor([3., 2., 1., .5, .25],
                                          dtype=torch.float64)) @ v.t()
    terms = loss_decomposition(student, teacher)
    assert terms['rank'] == 2
    assert terms['teacher_tail'] == pytest.approx(0.01)
    assert terms['regularisation'] == pytest.approx(
        math.sqrt(1 + .25 + .0625))
    assert loss_decomposition(student, teacher, tol=0.001)['rank'] == 3


@pytest.mark.parametrize('seed', range(20))
def test_the_bound_holds_on_random_maps(seed):
    gen = torch.Generator().manual_seed(seed)
    student = torch.randn(40, 12, generator=gen)
    # a projected teacher of rank 1-12 with a decaying spectrum
    rank = int(torch.randint(1, 13, (1, ), generator=gen))
    teacher = torch.randn(40, rank, generator=gen) @ torch.randn(
        rank, 12, generator=gen) * torch.rand(12, generator=gen)
    terms = loss_decomposition(student, teacher)
    assert terms['loss'] == pytest.approx(
        float(torch.linalg.norm(teacher.double() - student.double())))
    assert terms['loss'] <= terms['bound'] + 1e-9


def test_shapes_that_differ_are_refused():
    with pytest.raises(ValueError, match=r'\(4, 3\) and \(4, 2\)'):
        loss_decomposition(torch.zeros(4, 3), torch.zeros(4, 2))


@pytest.mark.parametrize('projector', ['InvertedProjector',
                                       'TraditionalProjector'])
def test_the_hook_decomposes_the_maps_the_step_compared(projector, tmp_path):
    torch.manual_seed(0)
    model = CrossTaskDistiller(
        student=STUDENT, teacher=TEACHER,
        projector=dict(type=f'mmxtkd.{projector}'), student_channels=64,
        teacher_channels=16,
        distill_losses=dict(l2=dict(type='mmxtkd.FitNetsLoss')))
    hook = SpectralRankHook(interval=2, decomposition=True)
    runner = SimpleNamespace(
        model=model, iter=1, work_dir=str(tmp_path),
        message_hub=MessageHub.get_instance('mmxtkd-test-decomposition'))
    inputs = torch.randn(4, 3, 128, 128)
    samples = [DataSample().set_gt_label(i % 2) for i in range(4)]
    hook.before_train_iter(runner, 0)  # iteration 2 of 2: measured
    model.loss(inputs, samples)
    # the same maps computed here: Z_s (4, 64, 4, 4) and Z_t on its grid
    with torch.no_grad():
        (z_s, z_t), = model.feature_pairs(inputs, samples).values()
        proj = model.distill.pairs['main'].projector
        pred, target = ((z_s, proj(z_t)) if projector == 'InvertedProjector'
                        else (proj(z_s), z_t))
    rows = [m.permute(0, 2, 3, 1).reshape(-1, m.shape[1])
            for m in (pred, target)]
    expected = loss_decomposition(*rows)
    hook.after_train_iter(runner, 0)
    record = json.loads((tmp_path / 'spectral_history.jsonl').read_text())
    assert record['decomposition'] == pytest.approx(expected)
    assert runner.message_hub.get_scalar(
        'train/decomposition/transfer').current() == pytest.approx(
            expected['transfer'])
    # the squared norm is FitNets' mean squared error times the entries
    mse = float(model.loss(inputs, samples)['loss_distill_l2'])
    assert expected['loss']**2 == pytest.approx(mse * rows[0].numel(),
                                                rel=1e-4)
    pair = model.distill.pairs['main']
    assert not pair.keep_maps and pair.last_maps is None
