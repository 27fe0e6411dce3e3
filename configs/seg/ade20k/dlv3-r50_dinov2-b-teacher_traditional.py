# Traditional projection: student features mapped into the teacher space.
_base_ = './dlv3-r50_dinov2-b-teacher_inverted.py'
model = dict(projector=dict(type='mmxtkd.TraditionalProjector'))
