# Traditional projections: the student map mapped into each teacher's space.
_base_ = './mbv2_vitb-cls+dlv3-seg-teachers_inverted.py'
model = dict(
    distill_pairs=dict(
        cls=dict(projector=dict(type='mmxtkd.TraditionalProjector')),
        seg=dict(projector=dict(type='mmxtkd.TraditionalProjector'))))
