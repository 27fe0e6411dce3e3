# ../mbv2_segformer-b2-ade-teacher_inverted.py's synthetic twin: the
# synthetic demo's data, student and budget with a tiny random SegFormer
# (4 stages of one block, widths 16-64, 5 classes, seed 0) built from its
# transformers config in place of SegFormer-B2's folder.
_base_ = [
    './mbv2_vitb-cls-teacher_inverted.py',
    '../../_base_/teachers/segformer-b2-ade.py'
]
model = dict(
    teacher=dict(
        _delete_=True,
        type='mmxtkd.FrozenTeacher',
        model=dict(
            type='mmxtkd.TransformersFeatures',
            layer='segformer',
            config=dict(
                architecture='SegformerForSemanticSegmentation',
                hidden_sizes=[16, 32, 48, 64], depths=[1, 1, 1, 1],
                num_attention_heads=[1, 1, 1, 2], decoder_hidden_size=32,
                num_labels=5)),
        checkpoint=None,
        init_seed=0),
    teacher_channels=64)
