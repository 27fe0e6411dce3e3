from .hooks import SpectralRankHook
from .schedulers import OneCycleLR

__all__ = ['SpectralRankHook', 'OneCycleLR']
