# Inverted projection: a linear map of the teacher features into the
# student space (Z_t P), the paper's proposal.
projector = dict(type='mmxtkd.InvertedProjector')
custom_hooks = [dict(type='mmxtkd.SpectralRankHook', interval=100)]
