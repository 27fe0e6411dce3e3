"""CycleGAN with cross-task distillation at a generator's encoder."""
from typing import Tuple

import torch
import torch.nn as nn
from mmagic.models import CycleGAN
from mmagic.models.editors.cyclegan.cyclegan_modules import \
    ResidualBlockWithDropout

from mmxtkd.registry import MODELS
from .translation_distiller import TranslationDistillMixin


def resnet_generator_encoder(generator: nn.Module) -> nn.Module:
    """The last residual block of an mmagic ``ResnetGenerator``: its output
    is the map the upsampling decoder starts from, (B, 4 * base_channels,
    H / 4, W / 4)."""
    blocks = [m for m in generator.modules()
              if isinstance(m, ResidualBlockWithDropout)]
    if not blocks:
        raise TypeError(f'{type(generator).__name__} is not a ResNet '
                        'generator (no ResidualBlockWithDropout)')
    return blocks[-1]


@MODELS.register_module()
class DistillCycleGAN(TranslationDistillMixin, CycleGAN):
    """mmagic's ``CycleGAN`` with a frozen teacher for the translation
    ``x`` (the other domain) -> ``default_domain``.

    Args:
        student_feature: which encoder map is ``Z_s`` (paper table 10):
            ``'cycle'``, the encoder of the generator that maps the
            translated image back, ``G_B_E(G_A(x))`` (default); or
            ``'translation'``, the translating generator's own encoder on
            ``x``, ``G_A_E(x)``. The teacher sees ``x`` in both.
        *args, **kwargs: see :class:`TranslationDistillMixin`.
    """

    plain_type = 'mmagic.CycleGAN'
    distillation_keys = (TranslationDistillMixin.distillation_keys +
                         ('student_feature', ))

    def __init__(self, *args, student_feature: str = 'cycle',
                 **kwargs) -> None:
        if student_feature not in ('cycle', 'translation'):
            raise ValueError("student_feature must be 'cycle' (G_B_E(G_A(x))) "
                             f"or 'translation' (G_A_E(x)), not "
                             f'{student_feature!r}')
        super().__init__(*args, **kwargs)
        self.student_feature = student_feature

    @staticmethod
    def encoder_end(generator: nn.Module) -> nn.Module:
        return resnet_generator_encoder(generator)

    def distillation_pair(self, outputs: dict) -> Tuple[torch.Tensor,
                                                         torch.Tensor]:
        target = self._default_domain
        source = self.get_other_domains(target)[0]
        x = outputs[f'real_{source}']
        if self.student_feature == 'cycle':  # G_source(G_target(x))
            return x, self.find_pass(source, outputs[f'fake_{target}'])
        return x, self.find_pass(target, x)
