"""Albumentations augmentations that follow the run's seed."""
import numpy as np
from mmseg.datasets.transforms import Albu

from mmxtkd.registry import TRANSFORMS


@TRANSFORMS.register_module()
class SeededAlbu(Albu):
    """mmseg's ``Albu``, drawing its randomness from NumPy's global
    generator.

    albumentations 2 keeps a generator of its own in each ``Compose``,
    seeded from the operating system when no seed is given, so the run's
    ``randomness.seed`` (which mmengine gives to NumPy, Python and torch in
    every data-loader worker) does not reach it: no two runs augment alike,
    and an interrupted run does not resume the same. Here each sample first
    reseeds it from NumPy's global generator.
    """

    def transform(self, results: dict) -> dict:
        self.aug.set_random_seed(int(np.random.randint(2**31)))
        return super().transform(results)
