"""The depth task's models: the paper's decoders and the SILog loss (they
build on mmseg's ``DepthEstimator``)."""
from .decoders import (LightSkipDepthDecoder, SkipDepthDecoder,
                       SkipDepthDecoderDW)
from .silog import SILogLoss

__all__ = [
    'SkipDepthDecoder', 'SkipDepthDecoderDW', 'LightSkipDepthDecoder',
    'SILogLoss'
]
