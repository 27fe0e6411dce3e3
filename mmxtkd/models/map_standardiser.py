"""Per-channel standardisation of a teacher's map, its statistics estimated
over the first training steps and then frozen: an opt-in that puts
teachers of any scale on one scale."""
import torch
import torch.distributed as dist
import torch.nn as nn

from .losses.global_batch import world_size


class MapStandardiser(nn.Module):
    """``z -> (z - mean_c) / sqrt(var_c + eps)`` for each channel c of a map
    (B, C, h, w) or embedding (B, C).

    Over the first ``iters`` training forwards the mean and variance are
    estimated from every position of every map seen (the global batch under
    DDP: the sums are all-reduced, so every process holds the same
    statistics) and applied as estimated so far; from then on they are
    frozen. They are buffers of the state dict: a checkpoint stores them
    and a resumed run goes on estimating or keeps them frozen. Sums are
    float64, so a map of mean 32 and std 37 loses nothing to cancellation.

    Args:
        iters: the training steps the statistics are estimated over.
        eps: added to the variance.
    """

    def __init__(self, iters: int = 100, eps: float = 1e-6) -> None:
        super().__init__()
        if iters < 1:
            raise ValueError(f'standardise.iters must be >= 1, got {iters}')
        self.iters, self.eps = iters, eps
        self.register_buffer('steps', torch.zeros((), dtype=torch.long))
        self.register_buffer('count', torch.zeros((), dtype=torch.float64))
        # (C,): sized by the first map (or by a checkpoint's)
        self.register_buffer('total', torch.zeros(0, dtype=torch.float64))
        self.register_buffer('total_sq', torch.zeros(0, dtype=torch.float64))

    @property
    def frozen(self) -> bool:
        return int(self.steps) >= self.iters

    def _load_from_state_dict(self, state_dict, prefix, *args, **kwargs):
        for name in ('total', 'total_sq'):  # take the checkpoint's channels
            saved = state_dict.get(prefix + name)
            if saved is not None:
                setattr(self, name, torch.zeros_like(
                    saved, device=getattr(self, name).device))
        super()._load_from_state_dict(state_dict, prefix, *args, **kwargs)

    @torch.no_grad()
    def _update(self, z: torch.Tensor) -> None:
        channels = z.shape[1]
        values = z.transpose(0, 1).reshape(channels, -1).to(torch.float64)
        sums = torch.cat([values.new_tensor([values.shape[1]]),
                          values.sum(1), values.square().sum(1)])
        if world_size() > 1:
            dist.all_reduce(sums)
        if self.total.numel() != channels:
            if self.count > 0:
                raise ValueError(
                    f'the teacher map has {channels} channels, but its '
                    f'standardisation was estimated on {self.total.numel()}')
            self.total = sums.new_zeros(channels)
            self.total_sq = sums.new_zeros(channels)
        self.count += sums[0]
        self.total += sums[1:1 + channels]
        self.total_sq += sums[1 + channels:]
        self.steps += 1

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        """(B, C, ...) -> the same, standardised per channel."""
        if self.training and not self.frozen:
            self._update(z)
        if self.count == 0:
            raise RuntimeError(
                "the teacher's map standardisation has no statistics yet: "
                'they are estimated in the first training steps (or read '
                'from a checkpoint of a run that took them)')
        if self.total.numel() != z.shape[1]:
            raise ValueError(
                f'the teacher map has {z.shape[1]} channels, but its '
                f'standardisation was estimated on {self.total.numel()}')
        mean = self.total / self.count
        var = (self.total_sq / self.count - mean.square()).clamp_min(0)
        shape = (1, -1) + (1, ) * (z.dim() - 2)
        scale = (var + self.eps).rsqrt().to(z.dtype).view(shape)
        return (z - mean.to(z.dtype).view(shape)) * scale

    def extra_repr(self) -> str:
        return (f'iters={self.iters}, steps={int(self.steps)}, '
                f'channels={self.total.numel()}')
