# The segmentation demo's student alone (no teacher): the baseline beside
# the traditional and inverted twins, with the same data, seed and budget.
_base_ = './dlv3-r18_r50-random-teacher_inverted.py'
model = dict(teacher=None, projector=None, distill_losses=dict(_delete_=True))
custom_hooks = []
