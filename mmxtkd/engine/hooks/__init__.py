from .spectral_rank_hook import SpectralRankHook, numerical_rank

__all__ = ['SpectralRankHook', 'numerical_rank']
