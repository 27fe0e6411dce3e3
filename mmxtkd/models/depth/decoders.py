"""The paper's depth decoders with encoder skips (supplementary 6.3.1).

Each decoder reads the encoder's maps (fine to coarse, as backbones return
them), starts from the last one (``Z_s``), and runs a stack of blocks from the
coarsest resolution upwards: before every block but the first the features are
upsampled x2, and the next encoder map (coarse to fine) is bilinearly resized
to the current resolution and concatenated. When the encoder has fewer maps
than the decoder has blocks, the last blocks get no skip. A 3x3 conv and
``sigmoid * max_depth`` give the depth map, which the head resizes to the
input (and ground-truth) size.
"""
from typing import List, Sequence, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmseg.models.decode_heads.decode_head import BaseDecodeHead
from mmseg.models.utils import resize

from mmxtkd.registry import MODELS


class SkipDepthDecoderBase(BaseDecodeHead):
    """Shared body of the three decoders; subclasses define :meth:`make_block`.

    Args:
        in_channels: channels of the encoder maps, fine to coarse.
        channels: output channels of each block (their number = blocks).
        max_depth: the depth range (m); output is ``sigmoid * max_depth``.
        negative_slope: of the LeakyReLUs.
        loss_decode: depth loss config(s), e.g. ``mmxtkd.SILogLoss``.
        init_cfg: None keeps PyTorch's default conv initialisation, which
            starts the depth near ``max_depth / 2``; Kaiming fan-out init of
            this norm-free stack saturates the sigmoid at the start.
    """

    def __init__(self,
                 in_channels: Sequence[int],
                 channels: Sequence[int],
                 max_depth: float = 10.0,
                 negative_slope: float = 0.2,
                 align_corners: bool = False,
                 loss_decode=dict(type='mmxtkd.SILogLoss'),
                 init_cfg=None) -> None:
        # BaseDecodeHead's own __init__ builds classification parts (conv_seg,
        # num_classes, sampler) that a depth head has no use for.
        super(BaseDecodeHead, self).__init__(init_cfg=init_cfg)
        self.in_channels = list(in_channels)
        self.channels = list(channels)
        self.max_depth = max_depth
        self.num_classes = self.out_channels = 1  # read by EncoderDecoder
        self.negative_slope = negative_slope
        self.align_corners = align_corners
        skips = self.in_channels[::-1]
        self.stem = nn.Conv2d(skips[0], self.channels[0], 1)
        blocks, prev = [], self.channels[0]
        for k, out in enumerate(self.channels):
            skip = skips[k] if k < len(skips) else 0
            blocks.append(self.make_block(prev + skip, out))
            prev = out
        self.blocks = nn.ModuleList(blocks)
        self.depth_conv = nn.Conv2d(prev, 1, 3, padding=1)
        losses = loss_decode if isinstance(loss_decode, (list, tuple)) else [
            loss_decode]
        self.loss_decode = nn.ModuleList(MODELS.build(cfg) for cfg in losses)

    def extra_repr(self) -> str:  # BaseDecodeHead's names unset attributes
        return (f'in_channels={self.in_channels}, channels={self.channels}, '
                f'max_depth={self.max_depth}')

    def act(self) -> nn.Module:
        return nn.LeakyReLU(self.negative_slope)

    def make_block(self, in_channels: int, out_channels: int) -> nn.Module:
        raise NotImplementedError

    def forward(self, inputs: Tuple[torch.Tensor, ...]) -> torch.Tensor:
        """Encoder maps (fine to coarse) -> depth (B, 1, h, w) in metres."""
        if len(inputs) != len(self.in_channels):
            raise ValueError(f'{type(self).__name__} expects '
                             f'{len(self.in_channels)} encoder maps, got '
                             f'{len(inputs)}')
        feats = list(inputs)[::-1]
        for feat, c in zip(feats, self.in_channels[::-1]):
            if feat.shape[1] != c:
                raise ValueError(f'{type(self).__name__}: an encoder map has '
                                 f'{feat.shape[1]} channels, expected {c} '
                                 f'(in_channels={self.in_channels})')
        x = self.stem(feats[0])
        for k, block in enumerate(self.blocks):
            if k > 0:
                x = F.interpolate(x, scale_factor=2, mode='bilinear',
                                  align_corners=self.align_corners)
            if k < len(feats):
                skip = F.interpolate(
                    feats[k],
                    size=x.shape[2:],
                    mode='bilinear',
                    align_corners=self.align_corners)
                x = torch.cat([x, skip], dim=1)
            x = block(x)
        return torch.sigmoid(self.depth_conv(x)) * self.max_depth

    def loss_by_feat(self, pred: torch.Tensor,
                     batch_data_samples: List) -> dict:
        """SILog (or the configured losses) at the ground truth's size."""
        gt = torch.stack([s.gt_depth_map.data for s in batch_data_samples])
        pred = resize(pred, size=gt.shape[2:], mode='bilinear',
                      align_corners=self.align_corners)
        losses = {}
        for loss in self.loss_decode:
            losses[loss.loss_name] = losses.get(loss.loss_name, 0) + loss(
                pred, gt)
        return losses


@MODELS.register_module()
class SkipDepthDecoder(SkipDepthDecoderBase):
    """The paper's ``Decoder``: Conv1x1, then blocks of (LeakyReLU + Conv3x3 +
    LeakyReLU + Conv3x3), six by default."""

    def __init__(self, in_channels: Sequence[int],
                 channels: Sequence[int] = (128, 128, 64, 64, 32, 32),
                 **kwargs) -> None:
        super().__init__(in_channels, channels, **kwargs)

    def make_block(self, in_channels: int, out_channels: int) -> nn.Module:
        return nn.Sequential(
            self.act(), nn.Conv2d(in_channels, out_channels, 3, padding=1),
            self.act(), nn.Conv2d(out_channels, out_channels, 3, padding=1))


@MODELS.register_module()
class SkipDepthDecoderDW(SkipDepthDecoder):
    """The paper's ``Decoder_dl2``: as ``Decoder``, with the second Conv3x3 of
    each block depthwise."""

    def make_block(self, in_channels: int, out_channels: int) -> nn.Module:
        return nn.Sequential(
            self.act(), nn.Conv2d(in_channels, out_channels, 3, padding=1),
            self.act(), nn.Conv2d(out_channels, out_channels, 3, padding=1,
                                  groups=out_channels))


@MODELS.register_module()
class LightSkipDepthDecoder(SkipDepthDecoderBase):
    """The paper's ``ULightDecoder_skip_4b``: Conv1x1, then four blocks of
    (LeakyReLU + Conv3x3)."""

    def __init__(self, in_channels: Sequence[int],
                 channels: Sequence[int] = (128, 64, 32, 32),
                 **kwargs) -> None:
        super().__init__(in_channels, channels, **kwargs)

    def make_block(self, in_channels: int, out_channels: int) -> nn.Module:
        return nn.Sequential(
            self.act(), nn.Conv2d(in_channels, out_channels, 3, padding=1))
