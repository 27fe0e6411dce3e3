# Projector ensemble (Chen et al., NeurIPS 2022), traditional direction.
projector = dict(type='mmxtkd.ProjectorEnsemble', direction='student_to_teacher')
custom_hooks = [dict(type='mmxtkd.SpectralRankHook', interval=100)]
