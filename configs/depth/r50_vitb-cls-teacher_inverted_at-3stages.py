# Attention transfer at three depths, as Zagoruyko & Komodakis (ICLR 2017)
# place it: the ResNet-50 student's stages 2, 3 and 4 (512, 1024 and 2048
# channels at strides 8, 16 and 32) against the ViT-B/16 classification
# teacher's blocks 4, 8 and 12 (768 channels at stride 16, resized to each
# student grid), each pair through its own inverted projection. The three
# pairs share one teacher forward (out_index lists its three maps). Not in
# the paper, which transfers attention at the encoder's end
# (r50_vitb-cls-teacher_inverted_at.py). 1xb16, 25 epochs.
_base_ = [
    './r50_baseline.py', '../_base_/teachers/vitb-cls.py'
]
vit = _base_.vitb_cls_teacher
at = dict(
    teacher='cls',
    teacher_channels={{_base_.vitb_cls_channels}},
    projector=dict(type='mmxtkd.InvertedProjector'),
    losses=dict(at=dict(type='mmxtkd.ATLoss')))
model = dict(
    teachers=dict(
        cls=dict(
            vit,
            model=dict(vit.model, out_indices=(3, 7, 11)),
            out_index=(0, 1, 2))),
    distill_pairs=dict(
        stage2=dict(
            at, teacher_out_index=0, student_feature_index=1,
            student_channels=512),
        stage3=dict(
            at, teacher_out_index=1, student_feature_index=2,
            student_channels=1024),
        stage4=dict(
            at, teacher_out_index=2, student_feature_index=3,
            student_channels=2048)))
# The projector's spectrum (the paper's figure 3), logged for both
# projections: the traditional twin inherits this hook.
custom_hooks = [dict(type='mmxtkd.SpectralRankHook', interval=100)]
