# The same loss on the embedding the head classifies: the backbone's output,
# the final-normed class token, a (B, 192) matrix.
_base_ = './deit-ti_spectral-r8.py'
model = dict(student_feature='backbone')
