# Projector ensemble (Chen et al., NeurIPS 2022), inverted direction.
projector = dict(type='mmxtkd.ProjectorEnsemble', direction='teacher_to_student')
custom_hooks = [dict(type='mmxtkd.SpectralRankHook', interval=100)]
