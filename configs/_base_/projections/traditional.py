# Traditional projection: a linear map of the student features into the
# teacher space.
projector = dict(type='mmxtkd.TraditionalProjector')
custom_hooks = [dict(type='mmxtkd.SpectralRankHook', interval=100)]
