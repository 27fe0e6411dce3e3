# Traditional projection: student features mapped into the teacher space.
_base_ = './mbv2_segformer-b2-ade-teacher_inverted.py'
model = dict(projector=dict(type='mmxtkd.TraditionalProjector'))
