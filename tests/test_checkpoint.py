"""weights_only loading of mmengine Runner checkpoints (torch >= 2.6)."""

import numpy as np
import pytest
import torch
from mmengine.logging import HistoryBuffer, MessageHub

import mmxtkd  # noqa: F401  (allow-lists the types)


def test_message_hub_state_round_trips_with_weights_only(tmp_path):
    hub = MessageHub.get_instance('ckpt-test')
    for v in (1.0, 2.0, 4.0):
        hub.update_scalar('train/loss', v)
    hub.update_info('iter', np.int64(7))
    path = tmp_path / 'ckpt.pth'
    torch.save(dict(meta=dict(seed=np.int64(3), lr=np.float64(0.1)),
                    message_hub=hub.state_dict()), path)
    ckpt = torch.load(path, weights_only=True)
    buf = ckpt['message_hub']['log_scalars']['train/loss']
    assert isinstance(buf, HistoryBuffer)
    assert buf.mean() == pytest.approx(7 / 3)
    assert ckpt['meta']['seed'] == 3


class _Sneaky:
    """Pickles as getattr(HistoryBuffer, '__init__'), not a statistics one."""

    def __reduce__(self):
        return getattr, (HistoryBuffer, '__init__')


def test_getattr_in_a_checkpoint_resolves_nothing_else(tmp_path):
    path = tmp_path / 'bad.pth'
    torch.save({'x': _Sneaky()}, path)
    with pytest.raises(Exception, match='refusing getattr'):
        torch.load(path, weights_only=True)


def test_one_cycle_scheduler_state_loads_with_weights_only(tmp_path):
    from mmengine.optim.scheduler import OneCycleLR
    param = torch.nn.Parameter(torch.zeros(2))
    optim = torch.optim.AdamW([param], lr=1e-3)
    sched = OneCycleLR(optim, eta_max=1e-3, total_steps=10, by_epoch=False)
    sched.step()
    path = tmp_path / 'sched.pth'
    torch.save(sched.state_dict(), path)
    state = torch.load(path, weights_only=True)
    assert state['anneal_func'] is sched.anneal_func
    assert state['last_step'] == sched.last_step
