from .depth import (LightSkipDepthDecoder, SkipDepthDecoder,
                    SkipDepthDecoderDW)
from .distillers import CrossTaskDistiller, FeatureDistillation
from .linear_bridge import LinearlyBridgedEncoder
from .losses import (ATLoss, EnsembleCosineLoss, FitNetsLoss, PKTLoss,
                     RelationalTripletLoss, SILogLoss, SpectralRegLoss)
from .projectors import (InvertedProjector, ProjectorEnsemble,
                         TraditionalProjector)
from .teachers import FrozenTeacher
from .torchvision_features import TorchvisionFeatures

__all__ = [
    'InvertedProjector', 'TraditionalProjector', 'ProjectorEnsemble',
    'FrozenTeacher', 'FitNetsLoss', 'ATLoss', 'PKTLoss', 'EnsembleCosineLoss',
    'SpectralRegLoss', 'RelationalTripletLoss', 'CrossTaskDistiller',
    'FeatureDistillation', 'SILogLoss', 'SkipDepthDecoder', 'SkipDepthDecoderDW',
    'LightSkipDepthDecoder', 'TorchvisionFeatures', 'LinearlyBridgedEncoder'
]
