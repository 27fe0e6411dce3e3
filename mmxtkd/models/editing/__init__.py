"""Image-translation students on mmagic. Not imported by ``mmxtkd.models``
(mmagic's models cost every process about 2 s to import, and mmagic is the
optional ``editing`` extra): configs that use them list
``'mmxtkd.models.editing'`` in ``custom_imports``; without mmagic, an error
names the extra to install."""
from mmxtkd.compatibility import require_extra

require_extra('editing')

from .cyclegan import DistillCycleGAN, resnet_generator_encoder
from .pix2pix import DistillPix2Pix, unet_bottleneck
from .translation_distiller import TranslationDistillMixin

__all__ = [
    'TranslationDistillMixin', 'DistillPix2Pix', 'DistillCycleGAN',
    'unet_bottleneck', 'resnet_generator_encoder'
]
