from .class_centres_hook import TeacherClassCentresHook
from .spectral_rank_hook import SpectralRankHook, numerical_rank

__all__ = ['SpectralRankHook', 'numerical_rank', 'TeacherClassCentresHook']
