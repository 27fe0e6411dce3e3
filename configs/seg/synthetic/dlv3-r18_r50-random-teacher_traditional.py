# The demo's traditional twin: same data, seed and budget, the student's map
# projected into the teacher's space.
_base_ = './dlv3-r18_r50-random-teacher_inverted.py'
model = dict(projector=dict(type='mmxtkd.TraditionalProjector'))
