# The two-teacher job (../mbv2_vitb-cls+dlv3-seg-teachers_inverted.py) on the
# synthetic demo's data and budget (./mbv2_vitb-cls-teacher_inverted.py):
# the same two pairs, both teachers randomly initialised (seeds 0 and 1),
# since no weights can be downloaded here (`make demo-two-teachers`).
_base_ = [
    './mbv2_vitb-cls-teacher_inverted.py',
    '../../_base_/teachers/dlv3-seg.py'
]
fitnets = dict(
    projector=dict(type='mmxtkd.InvertedProjector'),
    losses=dict(fitnets=dict(type='mmxtkd.FitNetsLoss')))
model = dict(
    teacher=None,
    projector=None,
    teacher_channels=None,
    distill_losses=dict(_delete_=True),
    teachers=dict(
        cls=dict(_base_.vitb_cls_teacher, checkpoint=None, init_seed=0),
        seg=dict(
            _base_.dlv3_seg_teacher, checkpoint=None, init_seed=1)),
    distill_pairs=dict(
        cls=dict(
            fitnets,
            teacher='cls',
            teacher_channels={{_base_.vitb_cls_channels}}),
        seg=dict(
            fitnets,
            teacher='seg',
            teacher_channels={{_base_.dlv3_seg_channels}})))
