"""A teacher map's opt-in standardisation (statistics estimated over the
first training steps, then frozen, kept in checkpoints) against numpy, and
the ratio of each distillation term to the task loss."""
import logging

import numpy as np
import pytest
import torch
from mmengine.logging import MessageHub, MMLogger

from mmxtkd.models import FrozenTeacher
from mmxtkd.models.loss_scale import LossScaleMonitor
from mmxtkd.models.map_standardiser import MapStandardiser


def maps(seed, b=2):
    """Maps with the issue's scale: mean about 32, std about 37."""
    g = torch.Generator().manual_seed(seed)
    return torch.randn(b, 4, 3, 5, generator=g) * 37 + 32 + torch.arange(
        4.0).view(1, 4, 1, 1) * 100


def numpy_standardised_of(seen, z, eps=1e-6):
    c = z.shape[1]
    values = np.concatenate([m.numpy().transpose(1, 0, 2, 3).reshape(c, -1)
                             for m in seen], axis=1).astype(np.float64)
    mean, var = values.mean(1), values.var(1)
    return ((z.numpy() - mean.reshape(1, c, 1, 1)) /
            np.sqrt(var.reshape(1, c, 1, 1) + eps))


def test_statistics_of_the_first_steps_then_frozen():
    standardiser = MapStandardiser(iters=3).train()
    seen = [maps(i) for i in range(3)]
    for m in seen:
        standardiser(m)
    assert standardiser.frozen and int(standardiser.steps) == 3
    later = maps(10)
    out = standardiser(later)  # the 4th training step estimates nothing
    np.testing.assert_allclose(out.numpy(), numpy_standardised_of(seen, later),
                               rtol=1e-5, atol=1e-5)
    assert int(standardiser.steps) == 3
    # while estimating, the statistics so far apply (the first step: its own)
    first = MapStandardiser(iters=3).train()
    np.testing.assert_allclose(first(seen[0]).numpy(),
                               numpy_standardised_of(seen[:1], seen[0]),
                               rtol=1e-5, atol=1e-5)


def test_a_checkpoint_keeps_them_and_a_resumed_run_goes_on():
    straight = MapStandardiser(iters=3).train()
    for i in range(3):
        straight(maps(i))
    cut = MapStandardiser(iters=3).train()
    for i in range(2):
        cut(maps(i))
    resumed = MapStandardiser(iters=3).train()  # sized by the checkpoint
    resumed.load_state_dict(cut.state_dict())
    resumed(maps(2))
    for key, value in straight.state_dict().items():
        torch.testing.assert_close(resumed.state_dict()[key], value)
    frozen = MapStandardiser(iters=3).eval()
    frozen.load_state_dict(straight.state_dict())
    torch.testing.assert_close(frozen(maps(5)), straight.eval()(maps(5)))


def test_no_statistics_and_other_channels_are_errors():
    with pytest.raises(RuntimeError, match='no statistics yet'):
        MapStandardiser().eval()(maps(0))
    standardiser = MapStandardiser(iters=2).train()
    standardiser(maps(0))
    with pytest.raises(ValueError, match='has 3 channels, but its '
                       'standardisation was estimated on 4'):
        standardiser(maps(1)[:, :3])
    with pytest.raises(ValueError, match='iters must be >= 1'):
        MapStandardiser(iters=0)


def test_a_teachers_maps_are_standardised_and_checkpointed():
    teacher = FrozenTeacher(
        model=dict(type='mmxtkd.TorchvisionFeatures', name='resnet18',
                   node='layer2'), standardise=dict(iters=2)).train()
    x = [torch.randn(2, 3, 32, 32) for _ in range(3)]
    raw = FrozenTeacher(model=dict(type='mmxtkd.TorchvisionFeatures',
                                   name='resnet18', node='layer2'))
    out = [teacher(v) for v in x]
    np.testing.assert_allclose(
        out[2].numpy(), numpy_standardised_of([raw(v) for v in x[:2]],
                                              raw(x[2])),
        rtol=1e-4, atol=1e-4)
    assert set(teacher.state_dict()) == {
        'standardisers.0.steps', 'standardisers.0.count',
        'standardisers.0.total', 'standardisers.0.total_sq'}


def test_a_term_that_swamps_the_task_loss_is_logged_and_warned_once():
    logger = MMLogger.get_current_instance()
    records = []
    handler = logging.Handler(logging.WARNING)
    handler.emit = records.append
    logger.addHandler(handler)
    monitor = LossScaleMonitor(iters=3, warn_ratio=100)
    task = {'decode.loss_ce': torch.tensor(3.0),
            'decode.acc_seg': torch.tensor(50.0)}  # not a loss: not summed
    terms = {'loss_distill_l2': torch.tensor(740.0)}
    try:
        logged = [monitor(task, terms) for _ in range(4)]
    finally:
        logger.removeHandler(handler)
    assert set(logged[0]) == {'ratio/distill_l2'}
    torch.testing.assert_close(logged[0]['ratio/distill_l2'],
                               torch.tensor(740 / 3))
    assert logged[3] == {}  # after the watched steps: nothing, no sync
    hub = MessageHub.get_current_instance()
    assert hub.get_scalar('train/ratio/distill_l2').current() == \
        pytest.approx(740 / 3)
    warned = [r.getMessage() for r in records
              if 'swamps the task' in r.getMessage()]
    assert len(warned) == 1
    assert 'loss_distill_l2 is 247 times the task loss' in warned[0]
    assert 'loss_weight' in warned[0] and 'standardise' in warned[0]
