# Traditional projection: student features mapped into the teacher space.
_base_ = './pix2pix_r50-random-teacher_inverted.py'
model = dict(projector=dict(type='mmxtkd.TraditionalProjector'))
