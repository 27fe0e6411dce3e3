# Table 10: the same with Z_s = G_A_E(x), the translating generator's own
# encoder map of the photo.
_base_ = './cyclegan_krcnn-kpt-teacher_inverted.py'
model = dict(student_feature='translation')
