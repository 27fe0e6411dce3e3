from .backbones import MobileNetV1, WideResNetCIFAR
from .depth import (LightSkipDepthDecoder, SkipDepthDecoder,
                    SkipDepthDecoderDW)
from .distillers import CrossTaskDistiller, FeatureDistillation
from .linear_bridge import LinearlyBridgedEncoder
from .losses import (ATLoss, ClassMeanKDLoss, EnsembleCosineLoss,
                     FitNetsLoss, LogitKDLoss, PKTLoss, RelationalTripletLoss,
                     SILogLoss, SpectralRegLoss, TripletProbabilityLoss)
from .projectors import (InvertedProjector, ProjectorEnsemble,
                         TraditionalProjector)
from .teachers import FrozenTeacher
from .timm_features import TimmFeatures
from .torchvision_features import TorchvisionFeatures

__all__ = [
    'InvertedProjector', 'TraditionalProjector', 'ProjectorEnsemble',
    'FrozenTeacher', 'FitNetsLoss', 'ATLoss', 'PKTLoss', 'EnsembleCosineLoss',
    'SpectralRegLoss', 'RelationalTripletLoss', 'CrossTaskDistiller',
    'FeatureDistillation', 'SILogLoss', 'SkipDepthDecoder', 'SkipDepthDecoderDW',
    'LightSkipDepthDecoder', 'TorchvisionFeatures', 'LinearlyBridgedEncoder',
    'TripletProbabilityLoss', 'ClassMeanKDLoss', 'LogitKDLoss', 'MobileNetV1',
    'WideResNetCIFAR', 'TimmFeatures'
]
