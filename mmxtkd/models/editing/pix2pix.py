"""Pix2Pix with cross-task distillation at the UNet's bottleneck."""
from typing import Tuple

import torch
import torch.nn as nn
from mmagic.models import Pix2Pix
from mmagic.models.editors.pix2pix.pix2pix_modules import \
    UnetSkipConnectionBlock

from mmxtkd.registry import MODELS
from .translation_distiller import TranslationDistillMixin


def unet_bottleneck(generator: nn.Module) -> nn.Module:
    """The innermost block's down convolution of an mmagic ``UnetGenerator``:
    its output is the bottleneck, (B, 8 * base_channels, H / 2^num_down,
    W / 2^num_down)."""
    blocks = [m for m in generator.modules()
              if isinstance(m, UnetSkipConnectionBlock)]
    innermost = [b for b in blocks if not any(
        isinstance(m, UnetSkipConnectionBlock) for m in b.model)]
    if len(innermost) != 1:
        raise TypeError(f'{type(generator).__name__} is not a UNet generator '
                        '(no single innermost UnetSkipConnectionBlock)')
    return innermost[0].model[0]


@MODELS.register_module()
class DistillPix2Pix(TranslationDistillMixin, Pix2Pix):
    """mmagic's ``Pix2Pix`` whose generator also learns from a frozen
    teacher: ``Z_s`` is the UNet bottleneck (the innermost block's encoder
    output), and the teacher sees the generator's input. See
    :class:`TranslationDistillMixin` for the arguments and the optimizer."""

    plain_type = 'mmagic.Pix2Pix'

    @staticmethod
    def encoder_end(generator: nn.Module) -> nn.Module:
        return unet_bottleneck(generator)

    def distillation_pair(self, outputs: dict) -> Tuple[torch.Tensor,
                                                         torch.Tensor]:
        target = self._default_domain
        source = outputs[f'real_{self.get_other_domains(target)[0]}']
        return source, self.find_pass(target, source)
