"""Batch-relational losses over the global batch: one DDP step on 2 gloo
processes, each with a share of the batch, gives the loss value and the
gradients of one process with the whole batch (float64, rtol 1e-9), for
PKT, the relational triplet loss and the spectral loss (exact, few rows,
sketched; each reduction), with equal and unequal shares."""
import os
import socket

import pytest
import torch
import torch.distributed as dist
import torch.multiprocessing as mp
import torch.nn as nn

from mmxtkd.models.losses import (PKTLoss, RelationalTripletLoss,
                                  SpectralRegLoss)
from mmxtkd.models.losses.global_batch import (gather_rows, global_count,
                                               sum_over_processes)
from mmxtkd.models.map_standardiser import MapStandardiser

BATCH = 6
CASES = {
    # name: (loss, student channels, teacher channels, map size, shares)
    'pkt': (lambda: PKTLoss(), 4, 3, 3, (3, 3)),
    'pkt_unequal': (lambda: PKTLoss(), 4, 3, 3, (4, 2)),
    'relational': (lambda: RelationalTripletLoss(tau=0.5), 4, 3, 3, (3, 3)),
    'spectral_exact': (lambda: SpectralRegLoss(rank=2), 6, None, 3, (3, 3)),
    'spectral_few_rows': (lambda: SpectralRegLoss(rank=2), 40, None, 1,
                          (3, 3)),
    'spectral_norm': (lambda: SpectralRegLoss(rank=1, reduction='norm'), 6,
                      None, 3, (4, 2)),
    'spectral_mean': (lambda: SpectralRegLoss(rank=1, reduction='mean'), 6,
                      None, 3, (3, 3)),
    # the Gram-operator sketch of several processes and the single process's
    # sketch (22 of 40 columns) converge, with 20 power iterations, to the
    # same, exact subspace
    'spectral_sketch': (lambda: SpectralRegLoss(
        rank=2, method='sketch', oversample=20, niter=20), 40, None, 3,
        (3, 3)),
}


class Pair(nn.Module):
    """A student conv on the images and, with a teacher, an inverted
    projector on the teacher map: both sides of a loss carry gradients."""

    def __init__(self, c_s: int, c_t) -> None:
        super().__init__()
        self.student = nn.Conv2d(3, c_s, 3, padding=1)
        self.projector = nn.Conv2d(c_t, c_s, 1) if c_t else None

    def forward(self, images, teacher_map, loss):
        z_s = self.student(images)
        if self.projector is None:
            return loss(z_s)
        return loss(z_s, self.projector(teacher_map))


def batch(name: str):
    _, _, c_t, size, _ = CASES[name]
    gen = torch.Generator().manual_seed(3)
    images = torch.randn(BATCH, 3, size, size, generator=gen,
                         dtype=torch.float64)
    teacher = torch.randn(BATCH, c_t or 1, size, size, generator=gen,
                          dtype=torch.float64)
    return images, teacher


def step(name: str, rank: int = 0, world: int = 1):
    """(loss, {parameter: gradient}) of one step on this process's share."""
    make_loss, c_s, c_t, _, shares = CASES[name]
    torch.manual_seed(0)
    model = Pair(c_s, c_t).double()
    images, teacher = batch(name)
    if world > 1:
        start = sum(shares[:rank])
        rows = slice(start, start + shares[rank])
        images, teacher = images[rows], teacher[rows]
        model = nn.parallel.DistributedDataParallel(model)
    loss = model(images, teacher, make_loss())
    loss.backward()
    net = model.module if world > 1 else model
    return loss.detach(), {k: p.grad.clone()
                           for k, p in net.named_parameters()}


def worker(rank: int, port: int, out: str) -> None:
    os.environ.update(MASTER_ADDR='127.0.0.1', MASTER_PORT=str(port))
    dist.init_process_group('gloo', rank=rank, world_size=2)
    try:
        results = {name: step(name, rank, 2) for name in CASES}
        # the collectives themselves, against what they must give
        x = torch.arange(3.0 * (rank + 1)).view(-1, 1) + 10 * rank
        gathered = gather_rows(x)
        total = sum_over_processes(torch.tensor([rank + 1.0]))
        results['_collectives'] = (gathered, total,
                                   global_count(rank + 2, x.device))
        # a teacher map's standardisation, estimated on this rank's half
        standardiser = MapStandardiser(iters=1).train()
        standardiser(standardised_batch()[rank::2])
        results['_standardiser'] = standardiser.state_dict()
        if rank == 0:
            torch.save(results, out)
        dist.barrier()
    finally:
        dist.destroy_process_group()


def standardised_batch() -> torch.Tensor:
    """(4, 3, 2, 2) maps whose channels differ in scale and offset."""
    g = torch.Generator().manual_seed(1)
    return torch.randn(4, 3, 2, 2, generator=g) * torch.tensor(
        [1.0, 37.0, 1e3]).view(1, 3, 1, 1) + 32


def free_port() -> int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


@pytest.fixture(scope='module')
def two_processes(tmp_path_factory):
    out = str(tmp_path_factory.mktemp('global_batch') / 'two.pth')
    mp.spawn(worker, args=(free_port(), out), nprocs=2, join=True)
    return torch.load(out)


def test_collectives_gather_in_rank_order_and_sum(two_processes):
    gathered, total, count = two_processes['_collectives']
    expected = torch.cat([torch.arange(3.0), torch.arange(6.0) + 10])
    torch.testing.assert_close(gathered, expected.view(-1, 1))
    assert float(total) == 3.0 and count == 5


@pytest.mark.parametrize('name', list(CASES))
def test_two_processes_compute_the_whole_batch_loss(two_processes, name):
    loss, grads = two_processes[name]
    ref_loss, ref_grads = step(name)
    assert float(ref_loss) > 0
    torch.testing.assert_close(loss, ref_loss, rtol=1e-9, atol=0)
    for key, ref in ref_grads.items():
        assert ref.abs().max() > 0, key
        torch.testing.assert_close(grads[key], ref, rtol=1e-9, atol=1e-12,
                                   msg=key)


def test_the_local_batch_alone_would_differ():
    """The parity above is not trivial: the loss of a share differs from
    the loss of the whole batch."""
    images, teacher = batch('pkt')
    torch.manual_seed(0)
    model = Pair(4, 3).double()
    whole = model(images, teacher, PKTLoss())
    half = model(images[:3], teacher[:3], PKTLoss())
    assert abs(float(whole) - float(half)) > 1e-3 * float(whole)


def test_configs_synchronise_bn_and_cpu_processes_drop_it():
    """Every BatchNorm task's runtime asks mmengine for SyncBN (applied only
    when distributed); CPU processes, where torch's SyncBN cannot run, drop
    it with a warning."""
    import os.path as osp

    import torch.cuda
    from mmengine.config import Config

    from conftest import HAS_EDITING, REPO
    from mmxtkd.apis.launch import adapt_to_cpu_distributed
    for config in ('depth/mbv2_vitb-cls-teacher_inverted.py',
                   'depth/effb0_baseline.py', 'depth/r50_baseline.py',
                   'seg/ade20k/dlv3-r50_baseline.py',
                   'seg/coco/dlv3-r50_baseline.py') + (
                       ('colourisation/pix2pix_baseline.py', )
                       if HAS_EDITING else ()):
        cfg = Config.fromfile(osp.join(REPO, 'configs', config),
                              import_custom_modules=False)
        assert cfg.sync_bn == 'torch', config
    if torch.cuda.is_available():
        pytest.skip('the CPU-process path runs without GPUs only')
    cfg = Config(dict(launcher='slurm', sync_bn='torch'))
    adapt_to_cpu_distributed(cfg)
    assert cfg.sync_bn is None
    assert cfg.model_wrapper_cfg.device_ids is None


def test_a_teacher_maps_standardisation_is_estimated_on_the_global_batch(
        two_processes):
    whole = MapStandardiser(iters=1).train()
    whole(standardised_batch())
    for key, value in whole.state_dict().items():
        torch.testing.assert_close(two_processes['_standardiser'][key], value)
