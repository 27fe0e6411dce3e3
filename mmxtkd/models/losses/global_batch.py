"""The global batch of a distributed run, for losses that relate samples.

Under data parallelism each process holds B / g samples. A loss built from
relations between samples (PKT's affinities, REFILLED's triplets, the
spectral loss's subspace and norm) must see all B, or it computes another
method on every GPU count. These collectives make every process compute the
*same* global loss ``L``; their backward passes sum the gradient that each
process's copy of ``L`` sends to a process's own rows, i.e. ``g dL/dx_r``,
and DDP's average over the g processes turns that into exactly ``dL/dtheta``,
the single-process gradient of the whole batch. With one process (or none
initialised) every function is the identity.
"""
from typing import List

import torch
import torch.distributed as dist


def world_size() -> int:
    """The number of processes of the default group; 1 when not distributed."""
    if dist.is_available() and dist.is_initialized():
        return dist.get_world_size()
    return 1


def _sizes(rows: int, device: torch.device) -> List[int]:
    counts = [torch.zeros(1, dtype=torch.long, device=device)
              for _ in range(world_size())]
    dist.all_gather(counts, torch.tensor([rows], device=device))
    return [int(c) for c in counts]


class _GatherRows(torch.autograd.Function):
    """All processes' rows in rank order; the backward sums the gradient of
    every process's copy and returns this process's slice."""

    @staticmethod
    def forward(ctx, x: torch.Tensor, sizes: List[int]) -> torch.Tensor:
        ctx.sizes = sizes
        ctx.rank = dist.get_rank()
        longest = max(sizes)
        padded = x.new_zeros((longest, *x.shape[1:]))
        padded[:len(x)] = x
        parts = [torch.empty_like(padded) for _ in sizes]
        dist.all_gather(parts, padded.contiguous())
        return torch.cat([p[:n] for p, n in zip(parts, sizes)])

    @staticmethod
    def backward(ctx, grad: torch.Tensor):
        grad = grad.contiguous()
        dist.all_reduce(grad)
        start = sum(ctx.sizes[:ctx.rank])
        return grad[start:start + ctx.sizes[ctx.rank]], None


def gather_rows(x: torch.Tensor) -> torch.Tensor:
    """(B_r, ...) on each process -> (B, ...), the rows of every process in
    rank order (processes may hold different counts); differentiable as the
    module docstring says. Without gradient when ``x`` has none."""
    if world_size() == 1:
        return x
    return _GatherRows.apply(x, _sizes(len(x), x.device))


class _AllReduceSum(torch.autograd.Function):
    """The sum over processes; the backward sums the gradients likewise."""

    @staticmethod
    def forward(ctx, x: torch.Tensor) -> torch.Tensor:
        out = x.clone(memory_format=torch.contiguous_format)
        dist.all_reduce(out)
        return out

    @staticmethod
    def backward(ctx, grad: torch.Tensor) -> torch.Tensor:
        grad = grad.clone(memory_format=torch.contiguous_format)
        dist.all_reduce(grad)
        return grad


def sum_over_processes(x: torch.Tensor) -> torch.Tensor:
    """``x`` summed over the processes (every process gets the sum);
    differentiable as the module docstring says."""
    if world_size() == 1:
        return x
    return _AllReduceSum.apply(x)


def global_count(count: int, device: torch.device) -> int:
    """An integer summed over the processes (e.g. the rows of the batch)."""
    if world_size() == 1:
        return count
    total = torch.tensor([count], dtype=torch.long, device=device)
    dist.all_reduce(total)
    return int(total)
