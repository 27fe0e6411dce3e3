from .decoders import (LightSkipDepthDecoder, SkipDepthDecoder,
                       SkipDepthDecoderDW)

__all__ = ['SkipDepthDecoder', 'SkipDepthDecoderDW', 'LightSkipDepthDecoder']
