# Traditional projection: student features mapped into the teacher space.
_base_ = './mbv2_convnext-t-cls-teacher_inverted.py'
model = dict(projector=dict(type='mmxtkd.TraditionalProjector'))
