# Traditional projection: student features mapped into the teacher space.
_base_ = './pix2pix_vitb-cls-teacher_inverted.py'
model = dict(projector=dict(type='mmxtkd.TraditionalProjector'))
