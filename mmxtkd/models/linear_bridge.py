"""A frozen encoder of one task read by a decoder of another through
learnable linear maps (supplementary 6.7: the representation spaces of two
tasks are related by a linear map)."""
from typing import Sequence, Tuple

import torch
import torch.nn as nn
from mmengine.model import BaseModule

from mmxtkd.registry import MODELS


@MODELS.register_module()
class LinearlyBridgedEncoder(BaseModule):
    """A :class:`FrozenTeacher` encoder whose maps each pass a learnable
    linear map (a 1x1 convolution with bias) into the channels a decoder of
    another task takes; used as a model's ``backbone``.

    Args:
        encoder: the frozen encoder, a ``FrozenTeacher`` config whose
            ``out_index`` lists the maps the decoder reads, fine to coarse.
        in_channels: channels of those maps.
        out_channels: channels the decoder takes, one per map.
    """

    def __init__(self, encoder: dict, in_channels: Sequence[int],
                 out_channels: Sequence[int], init_cfg=None) -> None:
        super().__init__(init_cfg)
        if len(in_channels) != len(out_channels):
            raise ValueError(f'in_channels {list(in_channels)} and '
                             f'out_channels {list(out_channels)} differ in '
                             'length: one linear map per encoder map')
        self.encoder = MODELS.build(encoder)
        self.in_channels = list(in_channels)
        self.maps = nn.ModuleList(
            nn.Conv2d(c_in, c_out, 1)
            for c_in, c_out in zip(in_channels, out_channels))

    def forward(self, x: torch.Tensor) -> Tuple[torch.Tensor, ...]:
        """Images (B, 3, H, W) -> one (B, out_channels[i], h_i, w_i) map per
        encoder map."""
        maps = self.encoder(x)
        maps = (maps, ) if isinstance(maps, torch.Tensor) else maps
        got = [m.shape[1] for m in maps]
        if got != self.in_channels:
            raise ValueError(f'the encoder gave maps of {got} channels; the '
                             f'linear maps take {self.in_channels} (check the '
                             "encoder's out_index and in_channels)")
        return tuple(linear(m) for linear, m in zip(self.maps, maps))
