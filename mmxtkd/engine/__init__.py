from .hooks import (AtomicCheckpointHook, SpectralRankHook,
                    TeacherClassCentresHook)
from .schedulers import OneCycleLR

__all__ = [
    'AtomicCheckpointHook', 'SpectralRankHook', 'OneCycleLR',
    'TeacherClassCentresHook'
]
