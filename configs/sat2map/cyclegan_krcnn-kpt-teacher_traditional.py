# Traditional projection: student features mapped into the teacher space.
_base_ = './cyclegan_krcnn-kpt-teacher_inverted.py'
model = dict(projector=dict(type='mmxtkd.TraditionalProjector'))
