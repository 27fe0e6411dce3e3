# Traditional projection: student features mapped into the teacher space.
_base_ = './mbv2_depth-anything-v2-s-teacher_inverted.py'
model = dict(projector=dict(type='mmxtkd.TraditionalProjector'))
