"""How close SpectralRegLoss's subspace methods come to eq. 6, and what they
cost, on (N, C) matrices with flat and decaying spectra.

    python tools/analysis/spectral_accuracy.py [--n 3600] [--c 1280]
        [--device cuda] [--profile]

For each spectrum and r it prints the relative error against eq. 6 from
float64 singular values of:

- the loss as training computes it: ``SpectralRegLoss(reduction='norm')``
  on the float32 ``Z``, with the exact and the sketched subspace;
- the subspaces alone: ``||Z - Z V V^T||_F`` evaluated in float64 for the
  float32 ``V`` of each path, and for the sketch run in float64, so that
  the subspace's error is told apart from the rounding of evaluating the
  loss;

then the median time of each subspace, of a whole ``SpectralRegLoss``
forward and backward (the default ``'auto'`` method) and of one matrix
product ``Z^T Z`` of the same matrix. ``--profile``
then prints the profiler's table of that step at the smallest r, to show
where its time goes (solver calls, host synchronisations).
"""
import argparse
import time

import torch
from torch.profiler import ProfilerActivity, profile

from mmxtkd.models.losses.spectral import (SpectralRegLoss,
                                           exact_top_right_singular_vectors,
                                           top_right_singular_vectors)


def spectra(n: int, c: int, gen: torch.Generator) -> dict:
    k = min(n, c)
    u = torch.linalg.qr(torch.randn(n, k, generator=gen)).Q
    v = torch.linalg.qr(torch.randn(c, k, generator=gen)).Q
    i = torch.arange(k, dtype=torch.float32)
    return {
        'flat (Gaussian)': torch.randn(n, c, generator=gen),
        'decaying 0.9^i': (u * 0.9**i) @ v.t(),
        'decaying 1/i': (u / (1 + i)) @ v.t(),
    }


def synchronize(device: torch.device) -> None:
    if device.type == 'cuda':
        torch.cuda.synchronize(device)


def timed(fn, device: torch.device, repeats: int = 3):
    """``fn()``'s last result and median wall time, the device's queue
    drained before and after each call."""
    times, out = [], None
    for _ in range(repeats):
        synchronize(device)
        start = time.perf_counter()
        out = fn()
        synchronize(device)
        times.append(time.perf_counter() - start)
    return out, sorted(times)[len(times) // 2]


def loss_step(z: torch.Tensor, rank: int):
    """A closure running SpectralRegLoss's forward and backward on ``z``."""
    feat = z.detach().clone().requires_grad_()
    loss = SpectralRegLoss(rank=rank)

    def step():
        feat.grad = None
        loss(feat).backward()
    return step


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--n', type=int, default=3600, help='rows (B*H*W)')
    parser.add_argument('--c', type=int, default=1280, help='channels')
    parser.add_argument('--ranks', type=int, nargs='+', default=[1, 2, 8, 32])
    parser.add_argument('--device', default='cpu')
    parser.add_argument('--repeats', type=int, default=3)
    parser.add_argument('--profile', action='store_true')
    args = parser.parse_args()
    device = torch.device(args.device)
    gen = torch.Generator().manual_seed(0)
    where = (torch.cuda.get_device_name(device) if device.type == 'cuda' else
             f'CPU, torch threads {torch.get_num_threads()}')
    print(f'Z: {args.n} x {args.c} on {where}')
    print('| spectrum | r | loss, exact | loss, sketch | V exact | V sketch '
          '| V sketch (fp64) | exact ms | sketch ms | loss fwd+bwd ms '
          '| Z^T Z ms |')
    print('|---|---|---|---|---|---|---|---|---|---|---|')
    for name, z in spectra(args.n, args.c, gen).items():
        z = z.to(device)
        s = torch.linalg.svdvals(z.double())
        for r in args.ranks:
            truth = (s[r:]**2).sum().sqrt().item()

            def err(value: float) -> float:
                return abs(value - truth) / truth

            def loss_err(method: str) -> float:
                loss = SpectralRegLoss(rank=r, reduction='norm',
                                       method=method)
                return err(loss(z).item())

            def subspace_err(v: torch.Tensor) -> float:
                z64, v64 = z.double(), v.double()
                tail = z64 - (z64 @ v64) @ v64.t()
                return err(torch.linalg.vector_norm(tail).item())

            v_exact, t_exact = timed(
                lambda: exact_top_right_singular_vectors(z, r), device,
                args.repeats)
            v_sketch, t_sketch = timed(
                lambda: top_right_singular_vectors(z, r), device,
                args.repeats)
            v_sketch64 = top_right_singular_vectors(z.double(), r)
            _, t_loss = timed(loss_step(z, r), device, args.repeats)
            _, t_gram = timed(lambda: z.t() @ z, device, args.repeats)
            print(f'| {name} | {r} | {loss_err("exact"):.1e} '
                  f'| {loss_err("sketch"):.1e} | {subspace_err(v_exact):.1e} '
                  f'| {subspace_err(v_sketch):.1e} '
                  f'| {subspace_err(v_sketch64):.1e} | {t_exact * 1e3:.1f} '
                  f'| {t_sketch * 1e3:.1f} | {t_loss * 1e3:.1f} '
                  f'| {t_gram * 1e3:.2f} |')
    if args.profile:
        step = loss_step(z, min(args.ranks))
        step()
        activities = [ProfilerActivity.CPU] + (
            [ProfilerActivity.CUDA] if device.type == 'cuda' else [])
        with profile(activities=activities) as prof:
            for _ in range(args.repeats):
                step()
            synchronize(device)
        sort = 'cuda_time_total' if device.type == 'cuda' else 'cpu_time_total'
        print(prof.key_averages().table(sort_by=sort, row_limit=25))


if __name__ == '__main__':
    main()
