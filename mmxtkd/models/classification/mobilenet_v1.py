"""MobileNet v1 (Howard et al., 2017) with its width multiplier: the
student and teacher of REFILLED's CUB-200 table, which mmpretrain lacks."""
from typing import Sequence, Tuple

import torch
import torch.nn as nn
from mmcv.cnn import ConvModule
from mmpretrain.models.backbones.base_backbone import BaseBackbone

from mmxtkd.registry import MODELS

#: (output channels, stride) of the 13 depthwise-separable blocks, by stage
STAGES = (((64, 1), ), ((128, 2), (128, 1)), ((256, 2), (256, 1)),
          ((512, 2), ) + ((512, 1), ) * 5, ((1024, 2), (1024, 1)))


@MODELS.register_module()
class MobileNetV1(BaseBackbone):
    """A 3x3 stride-2 stem of 32 channels, then 13 blocks of a 3x3
    depthwise and a 1x1 pointwise convolution, each followed by BN and the
    activation; every channel count times ``widen_factor`` (``int(c * w)``,
    as REFILLED's code scales them). Grouped in five stages (strides 2, 4,
    8, 16, 32), each returned when in ``out_indices``.

    Args:
        widen_factor: the width multiplier (1, 0.75, 0.5, 0.25 in
            REFILLED's table).
        out_indices: stages whose output maps are returned (0-4).
        frozen_stages: stages (and the stem) with frozen weights, -1: none.
        norm_cfg, act_cfg: as mmcv's ``ConvModule`` takes them.
    """

    def __init__(self, widen_factor: float = 1.0,
                 out_indices: Sequence[int] = (4, ),
                 frozen_stages: int = -1,
                 norm_cfg: dict = dict(type='BN'),
                 act_cfg: dict = dict(type='ReLU'),
                 norm_eval: bool = False, init_cfg=None) -> None:
        super().__init__(init_cfg=init_cfg)
        for index in out_indices:
            if not 0 <= index < len(STAGES):
                raise ValueError(f'out_indices: {index} is not a stage of '
                                 f'MobileNetV1 (0-{len(STAGES) - 1})')
        self.out_indices = tuple(out_indices)
        self.frozen_stages = frozen_stages
        self.norm_eval = norm_eval
        conv = dict(norm_cfg=norm_cfg, act_cfg=act_cfg)
        channels = int(32 * widen_factor)
        self.stem = ConvModule(3, channels, 3, stride=2, padding=1, **conv)
        self.stages = nn.ModuleList()
        for blocks in STAGES:
            layers = []
            for out, stride in blocks:
                out = int(out * widen_factor)
                layers += [
                    ConvModule(channels, channels, 3, stride=stride,
                               padding=1, groups=channels, **conv),
                    ConvModule(channels, out, 1, **conv)]
                channels = out
            self.stages.append(nn.Sequential(*layers))
        self.out_channels = channels
        self._freeze_stages()

    def forward(self, x: torch.Tensor) -> Tuple[torch.Tensor, ...]:
        x = self.stem(x)
        outs = []
        for index, stage in enumerate(self.stages):
            x = stage(x)
            if index in self.out_indices:
                outs.append(x)
        return tuple(outs)

    def _freeze_stages(self) -> None:
        frozen = [self.stem] + list(self.stages[:self.frozen_stages])
        for module in frozen if self.frozen_stages >= 0 else []:
            module.eval()
            for param in module.parameters():
                param.requires_grad = False

    def train(self, mode: bool = True) -> 'MobileNetV1':
        super().train(mode)
        self._freeze_stages()
        if mode and self.norm_eval:
            for module in self.modules():
                if isinstance(module, nn.modules.batchnorm._BatchNorm):
                    module.eval()
        return self
