"""The CIFAR WideResNet WRN-d-k (Zagoruyko & Komodakis, BMVC 2016): the
teacher and students of REFILLED's standard-KD table. mmpretrain's wide
ResNets are the ImageNet bottleneck kind."""
from typing import Sequence, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmpretrain.models.backbones.base_backbone import BaseBackbone

from mmxtkd.registry import MODELS


class PreActBlock(nn.Module):
    """BN-ReLU-conv3x3 (stride), dropout, BN-ReLU-conv3x3, plus the input
    (a 1x1 convolution of the activated input when the shape changes)."""

    def __init__(self, in_channels: int, out_channels: int, stride: int,
                 drop_rate: float) -> None:
        super().__init__()
        self.bn1 = nn.BatchNorm2d(in_channels)
        self.conv1 = nn.Conv2d(in_channels, out_channels, 3, stride, 1,
                               bias=False)
        self.bn2 = nn.BatchNorm2d(out_channels)
        self.conv2 = nn.Conv2d(out_channels, out_channels, 3, 1, 1,
                               bias=False)
        self.drop_rate = drop_rate
        self.shortcut = (None if in_channels == out_channels and stride == 1
                         else nn.Conv2d(in_channels, out_channels, 1, stride,
                                        bias=False))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        act = F.relu(self.bn1(x))
        y = self.conv1(act)
        y = F.relu(self.bn2(y))
        y = F.dropout(y, self.drop_rate, self.training)
        y = self.conv2(y)
        return y + (x if self.shortcut is None else self.shortcut(act))


@MODELS.register_module()
class WideResNetCIFAR(BaseBackbone):
    """WRN-``depth``-``widen_factor`` for 32x32 inputs: a 3x3 convolution of
    16 channels, three stages of ``(depth - 4) / 6`` pre-activation blocks
    of 16k, 32k and 64k channels (strides 1, 2, 2), then BN-ReLU. Returns
    the maps of the stages in ``out_indices`` (the last one after the
    final BN-ReLU: the map that is pooled into the embedding).

    Args:
        depth: 6n + 4 (40, 16, ... in REFILLED's table).
        widen_factor: k (2 or 1 there).
        drop_rate: dropout between each block's convolutions (0.3 in
            REFILLED's code).
        out_indices: stages returned (0-2).
        in_channels: the input's channels (1 for grey images).
    """

    def __init__(self, depth: int = 40, widen_factor: int = 2,
                 drop_rate: float = 0.0, out_indices: Sequence[int] = (2, ),
                 in_channels: int = 3, init_cfg=None) -> None:
        super().__init__(init_cfg=init_cfg)
        if depth < 10 or (depth - 4) % 6:
            raise ValueError(f'a CIFAR WideResNet has depth 6n + 4 (10, 16, '
                             f'22, 28, 40, ...), not {depth}')
        for index in out_indices:
            if not 0 <= index < 3:
                raise ValueError(f'out_indices: {index} is not a stage of '
                                 'WideResNetCIFAR (0-2)')
        self.out_indices = tuple(out_indices)
        blocks = (depth - 4) // 6
        widths = [16 * widen_factor, 32 * widen_factor, 64 * widen_factor]
        self.stem = nn.Conv2d(in_channels, 16, 3, 1, 1, bias=False)
        self.stages = nn.ModuleList()
        channels = 16
        for index, width in enumerate(widths):
            stride = 1 if index == 0 else 2
            self.stages.append(nn.Sequential(*[
                PreActBlock(channels if b == 0 else width, width,
                            stride if b == 0 else 1, drop_rate)
                for b in range(blocks)]))
            channels = width
        self.norm = nn.BatchNorm2d(channels)
        self.out_channels = channels

    def forward(self, x: torch.Tensor) -> Tuple[torch.Tensor, ...]:
        x = self.stem(x)
        outs = []
        for index, stage in enumerate(self.stages):
            x = stage(x)
            if index == len(self.stages) - 1:
                x = F.relu(self.norm(x))
            if index in self.out_indices:
                outs.append(x)
        return tuple(outs)
