from .backbones import MobileNetV1, WideResNetCIFAR
from .depth import LightSkipDepthDecoder, SkipDepthDecoder, SkipDepthDecoderDW
from .distillation_pairs import DistillationPairs
from .distillers import CrossTaskDistiller
from .feature_distillation import FeatureDistillation, FeaturePair
from .linear_bridge import LinearlyBridgedEncoder
from .losses import (ATLoss, ClassMeanKDLoss, EnsembleCosineLoss, FitNetsLoss,
                     LogitKDLoss, PKTLoss, RelationalTripletLoss, SILogLoss,
                     SpectralRegLoss, TripletProbabilityLoss)
from .projectors import (InvertedProjector, ProjectorEnsemble,
                         TraditionalProjector)
from .teachers import FrozenTeacher
from .timm_features import TimmFeatures
from .torchvision_features import TorchvisionFeatures

__all__ = [
    'InvertedProjector', 'TraditionalProjector', 'ProjectorEnsemble',
    'FrozenTeacher', 'FitNetsLoss', 'ATLoss', 'PKTLoss', 'EnsembleCosineLoss',
    'SpectralRegLoss', 'RelationalTripletLoss', 'CrossTaskDistiller',
    'FeatureDistillation', 'SILogLoss', 'SkipDepthDecoder',
    'SkipDepthDecoderDW', 'LightSkipDepthDecoder', 'TorchvisionFeatures',
    'LinearlyBridgedEncoder', 'TripletProbabilityLoss', 'ClassMeanKDLoss',
    'LogitKDLoss', 'MobileNetV1', 'WideResNetCIFAR', 'TimmFeatures',
    'FeaturePair', 'DistillationPairs'
]
