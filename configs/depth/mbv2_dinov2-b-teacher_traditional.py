# Traditional projection: student features mapped into the teacher space.
_base_ = './mbv2_dinov2-b-teacher_inverted.py'
model = dict(projector=dict(type='mmxtkd.TraditionalProjector'))
