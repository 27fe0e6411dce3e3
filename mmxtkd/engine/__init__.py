from .hooks import SpectralRankHook, TeacherClassCentresHook
from .schedulers import OneCycleLR

__all__ = ['SpectralRankHook', 'OneCycleLR', 'TeacherClassCentresHook']
