# The tiny job with three pairs on the student's last map: two on one
# teacher's two stages (one forward), one on a second teacher.
_base_ = ['./tiny_cls_random-teacher_inverted.py']
fitnets = dict(
    projector=dict(type='mmxtkd.InvertedProjector'),
    losses=dict(fitnets=dict(type='mmxtkd.FitNetsLoss')))
model = dict(
    teacher=None,
    projector=None,
    distill_losses=dict(_delete_=True),
    student_channels=64,
    teachers=dict(
        stages=dict(
            type='mmxtkd.FrozenTeacher',
            model=dict(
                type='mmpretrain.ResNet', depth=18, base_channels=16,
                stem_channels=16, out_indices=(1, 2)),
            out_index=(0, 1),
            init_seed=0),
        other=dict(
            type='mmxtkd.FrozenTeacher',
            model=dict(
                type='mmpretrain.ResNet', depth=18, base_channels=8,
                stem_channels=8, out_indices=(3, )),
            init_seed=1)),
    distill_pairs=dict(
        stage2=dict(fitnets, teacher='stages', teacher_out_index=0,
                    teacher_channels=32),
        stage3=dict(fitnets, teacher='stages', teacher_out_index=1,
                    teacher_channels=64),
        other=dict(fitnets, teacher='other', teacher_channels=64)))
