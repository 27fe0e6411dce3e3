# Traditional projection: student features mapped into the teacher space.
_base_ = './mbv2-dl2_r50-depth-teacher_inverted.py'
model = dict(projector=dict(type='mmxtkd.TraditionalProjector'))
