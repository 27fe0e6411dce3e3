# What a teacher of a GAN student needs to re-normalise the generator's input
# (RGB in [-1, 1]) to ImageNet's statistics: FrozenTeacher's arguments, as
# teacher=dict(_base_.<teacher>_teacher, **_base_.imagenet_from_gan).
imagenet_from_gan = dict(
    mean=[123.675, 116.28, 103.53],
    std=[58.395, 57.12, 57.375],
    student_mean=[127.5] * 3,
    student_std=[127.5] * 3)
