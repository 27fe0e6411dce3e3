"""One training step on 2 gloo processes with half the batch each equals one
process with the whole batch, for a distilled student without batch
statistics (GroupNorm): mmengine's DDP wrapper and the distiller's
train_step, as tools/dist_train.sh runs them; then torn down as the tools
do, the DDP wrapper released and finish_distributed called, no gloo thread
is left for the interpreter's shutdown to meet (where gloo's threads can
abort a finished process: SIGABRT, 'terminate called without an active
exception')."""
import os

import torch
import torch.distributed as dist
import torch.multiprocessing as mp
from mmengine.optim import OptimWrapper
from mmpretrain.structures import DataSample

GN = dict(type='GN', num_groups=2)
MODEL = dict(
    type='mmxtkd.CrossTaskDistiller',
    student=dict(
        type='mmpretrain.ImageClassifier',
        data_preprocessor=dict(num_classes=3, mean=[0, 0, 0], std=[1, 1, 1]),
        backbone=dict(type='ResNet', depth=18, base_channels=8,
                      stem_channels=8, out_indices=(3, ), norm_cfg=GN),
        neck=dict(type='GlobalAveragePooling'),
        head=dict(type='LinearClsHead', num_classes=3, in_channels=64)),
    teacher=dict(type='mmxtkd.FrozenTeacher',
                 model=dict(type='mmpretrain.ResNet', depth=18,
                            base_channels=4, stem_channels=4,
                            out_indices=(2, )),
                 init_seed=0),
    projector=dict(type='mmxtkd.InvertedProjector', in_channels=16,
                   out_channels=64),
    distill_losses=dict(fitnets=dict(type='mmxtkd.FitNetsLoss')))


def gloo_threads() -> list:
    """The names of this process's gloo threads (Linux)."""
    names = [open(f'/proc/self/task/{task}/comm').read().strip()
             for task in os.listdir('/proc/self/task')]
    return [name for name in names if 'gloo' in name]


def whole_batch():
    gen = torch.Generator().manual_seed(1)
    inputs = torch.randn(4, 3, 32, 32, generator=gen)
    return inputs, [DataSample().set_gt_label(i % 3) for i in range(4)]


def one_step(rank: int, world: int, out: str) -> None:
    """Build the model (seed 0), take one SGD step on this process's share
    of the batch, save the weights from rank 0."""
    from mmengine.model import MMDistributedDataParallel
    from mmengine.registry import MODELS

    from mmxtkd.apis import finish_distributed
    from mmxtkd.registry import build_in_own_scope
    if world > 1:
        os.environ.update(MASTER_ADDR='127.0.0.1', MASTER_PORT='29631')
        dist.init_process_group('gloo', rank=rank, world_size=world)
    torch.manual_seed(0)
    model = build_in_own_scope(MODELS, MODEL)
    optim = OptimWrapper(torch.optim.SGD(model.parameters(), lr=0.1))
    inputs, samples = whole_batch()
    share = len(samples) // world
    data = dict(inputs=list(inputs[rank * share:(rank + 1) * share]),
                data_samples=samples[rank * share:(rank + 1) * share])
    if world > 1:
        model = MMDistributedDataParallel(module=model)
    log_vars = model.train_step(data, optim)
    assert 'loss_distill_fitnets' in log_vars
    if rank == 0:
        state = (model.module if world > 1 else model).state_dict()
        torch.save(state, out)
    if world > 1:
        running = gloo_threads()
        del model  # the DDP wrapper holds the process group
        finish_distributed()
        left = gloo_threads()
        assert running and not left, (running, left)


def test_two_processes_step_as_one_with_the_whole_batch(tmp_path):
    """(With BatchNorm instead of GroupNorm the two differ: tried.)"""
    from mmengine.registry import MODELS

    from mmxtkd.registry import build_in_own_scope
    one, two = str(tmp_path / 'one.pth'), str(tmp_path / 'two.pth')
    one_step(0, 1, one)
    mp.spawn(one_step, args=(2, two), nprocs=2, join=True)
    whole, halves = torch.load(one), torch.load(two)
    for key, value in whole.items():
        torch.testing.assert_close(halves[key], value, rtol=1e-5, atol=1e-6,
                                   msg=key)
    # the step moved the student and the projector
    torch.manual_seed(0)
    fresh = build_in_own_scope(MODELS, MODEL).state_dict()
    moved = {k for k, v in whole.items() if not torch.equal(fresh[k], v)}
    assert len(moved) > 10
    assert any(k.startswith('distill.pairs.main.projector') for k in moved)
