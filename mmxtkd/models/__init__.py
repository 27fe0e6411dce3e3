"""The core: teachers, projectors, distillation losses, the distillation
container and the distiller. It imports no task package (mmseg,
mmpretrain, mmagic); each task's models are in their own folder
(``depth``, ``classification``, ``editing``)."""
from .distillation import Distillation
from .distillers import CrossTaskDistiller
from .feature_pair import FeaturePair
from .linear_bridge import LinearlyBridgedEncoder
from .losses import (ATLoss, ClassMeanKDLoss, EnsembleCosineLoss, FitNetsLoss,
                     LogitKDLoss, PKTLoss, RelationalTripletLoss,
                     SpectralRegLoss, TripletProbabilityLoss)
from .projectors import (InvertedProjector, ProjectorEnsemble,
                         TraditionalProjector)
from .teachers import FrozenTeacher
from .timm_features import TimmFeatures
from .torchvision_features import TorchvisionFeatures
from .transformers_features import TransformersFeatures

__all__ = [
    'InvertedProjector', 'TraditionalProjector', 'ProjectorEnsemble',
    'FrozenTeacher', 'FitNetsLoss', 'ATLoss', 'PKTLoss', 'EnsembleCosineLoss',
    'SpectralRegLoss', 'RelationalTripletLoss', 'CrossTaskDistiller',
    'Distillation', 'FeaturePair', 'TorchvisionFeatures',
    'LinearlyBridgedEncoder', 'TripletProbabilityLoss', 'ClassMeanKDLoss',
    'LogitKDLoss', 'TimmFeatures', 'TransformersFeatures'
]
