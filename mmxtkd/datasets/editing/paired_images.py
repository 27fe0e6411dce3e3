"""pix2pix's side-by-side image pairs, loaded with the file named in errors."""
from mmagic.datasets.transforms import LoadPairedImageFromFile

from mmxtkd.registry import TRANSFORMS


@TRANSFORMS.register_module()
class LoadCheckedPairedImage(LoadPairedImageFromFile):
    """mmagic's ``LoadPairedImageFromFile`` (an ``A|B`` image split into
    ``img_<domain_a>`` and ``img_<domain_b>``), whose errors name the file:
    mmagic's own say only that a width is odd."""

    def transform(self, results: dict) -> dict:
        path = results.get(f'{self.key}_path')
        try:
            return super().transform(results)
        except ValueError as e:
            raise ValueError(f'{path}: {e} (an A|B pair is two images of the '
                             'same size side by side)') from e
