from .hooks import SpectralRankHook

__all__ = ['SpectralRankHook']
