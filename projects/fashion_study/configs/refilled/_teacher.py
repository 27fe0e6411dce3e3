# REFILLED's cross-task teacher on Fashion-MNIST
# (../wrn-16-2_fashion0-4.py); the study fills in its checkpoint. Its map:
# the backbone's last (128 x 7 x 7), pooled into the embedding.
fashion0_4_teacher = dict(
    type='mmxtkd.FrozenTeacher',
    model='projects/fashion_study/configs/wrn-16-2_fashion0-4.py',
    feature='student.backbone',
    checkpoint='work_dirs/fashion_refilled/teacher.pth')
