from .atomic_checkpoint_hook import AtomicCheckpointHook
from .class_centres_hook import TeacherClassCentresHook
from .spectral_rank_hook import SpectralRankHook, numerical_rank

__all__ = [
    'AtomicCheckpointHook', 'SpectralRankHook', 'numerical_rank',
    'TeacherClassCentresHook'
]
