from .attention_transfer import ATLoss
from .ensemble_cosine import EnsembleCosineLoss
from .fitnets import FitNetsLoss
from .logit_kd import LogitKDLoss
from .pkt import PKTLoss
from .refilled import ClassMeanKDLoss, TripletProbabilityLoss
from .relational import RelationalTripletLoss
from .spectral import SpectralRegLoss

__all__ = [
    'FitNetsLoss', 'ATLoss', 'PKTLoss', 'EnsembleCosineLoss',
    'SpectralRegLoss', 'RelationalTripletLoss', 'TripletProbabilityLoss',
    'ClassMeanKDLoss', 'LogitKDLoss'
]
