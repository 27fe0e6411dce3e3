# Traditional projections: each student stage mapped into the teacher's space.
_base_ = './r50_vitb-cls-teacher_inverted_at-3stages.py'
traditional = dict(projector=dict(type='mmxtkd.TraditionalProjector'))
model = dict(
    distill_pairs=dict(
        stage2=traditional, stage3=traditional, stage4=traditional))
