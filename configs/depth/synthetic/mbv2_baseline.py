# The synthetic demo's student alone (no teacher): the baseline beside
# mbv2_vitb-cls-teacher_inverted.py, with the same data, seed and budget.
_base_ = './mbv2_vitb-cls-teacher_inverted.py'
model = dict(teacher=None, projector=None, distill_losses=dict(_delete_=True))
custom_hooks = []
