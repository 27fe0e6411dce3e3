"""The image-translation data sets on mmagic (paired images for Pix2Pix,
unpaired domains for CycleGAN). Not imported by ``mmxtkd.datasets``: the
configs that use them list ``'mmxtkd.datasets.editing'`` in
``custom_imports``; without mmagic, an error names the extra to install."""
from mmxtkd.compatibility import require_extra

require_extra('editing')

from .paired_images import LoadCheckedPairedImage
from .unpaired_images import UnpairedTranslationDataset, split_paired_folder

__all__ = [
    'LoadCheckedPairedImage', 'UnpairedTranslationDataset',
    'split_paired_folder'
]
