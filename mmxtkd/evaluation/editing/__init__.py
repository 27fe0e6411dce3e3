"""The image-translation metrics on mmagic (PSNR of the translated images,
FID with a local Inception file). Not imported by ``mmxtkd.evaluation``:
the configs that use them list ``'mmxtkd.evaluation.editing'`` in
``custom_imports``; without mmagic, an error names the extra to install."""
from mmxtkd.compatibility import require_extra

require_extra('editing')

from .fid_from_file import TransFIDFromFile, inception_from_file
from .translation_psnr import TransPSNR

__all__ = ['TransFIDFromFile', 'inception_from_file', 'TransPSNR']
