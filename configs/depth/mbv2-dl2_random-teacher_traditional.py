# Traditional projection: student features mapped into the teacher space.
_base_ = './mbv2-dl2_random-teacher_inverted.py'
model = dict(projector=dict(type='mmxtkd.TraditionalProjector'))
