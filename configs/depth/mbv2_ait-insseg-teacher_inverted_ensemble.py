# Projector ensemble (Chen et al., NeurIPS 2022) and a cosine loss instead of
# one linear projector and FitNets; inverted direction.
_base_ = './mbv2_ait-insseg-teacher_inverted.py'
ensemble = dict(
    type='mmxtkd.ProjectorEnsemble', direction='teacher_to_student')
model = dict(projector=ensemble, distill_losses=dict(
    _delete_=True, ensemble=dict(type='mmxtkd.EnsembleCosineLoss')))
