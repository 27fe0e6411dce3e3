# The projector ensemble in the traditional direction.
_base_ = './mbv2_ait-depth-teacher_inverted_ensemble.py'
model = dict(projector=dict(direction='student_to_teacher'))
