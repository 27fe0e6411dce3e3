from .distillers import CrossTaskDistiller, FeatureDistillation
from .losses import (ATLoss, EnsembleCosineLoss, FitNetsLoss, PKTLoss,
                     RelationalTripletLoss, SpectralRegLoss)
from .projectors import (InvertedProjector, ProjectorEnsemble,
                         TraditionalProjector)
from .teachers import FrozenTeacher

__all__ = [
    'InvertedProjector', 'TraditionalProjector', 'ProjectorEnsemble',
    'FrozenTeacher', 'FitNetsLoss', 'ATLoss', 'PKTLoss', 'EnsembleCosineLoss',
    'SpectralRegLoss', 'RelationalTripletLoss', 'CrossTaskDistiller',
    'FeatureDistillation'
]
