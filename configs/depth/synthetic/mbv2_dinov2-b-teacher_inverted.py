# ../mbv2_dinov2-b-teacher_inverted.py's synthetic twin: the synthetic demo's
# data, student and budget (./mbv2_vitb-cls-teacher_inverted.py) with a tiny
# random DINOv2 (2 blocks of width 64, patch 14, seed 0) built from its
# transformers config in place of DINOv2-B's folder: nothing to download.
_base_ = [
    './mbv2_vitb-cls-teacher_inverted.py',
    '../../_base_/teachers/dinov2-b.py'
]
model = dict(
    teacher=dict(
        _delete_=True,
        type='mmxtkd.FrozenTeacher',
        model=dict(
            type='mmxtkd.TransformersFeatures',
            layer='layernorm',
            config=dict(
                architecture='Dinov2Model', hidden_size=64,
                num_hidden_layers=2, num_attention_heads=2,
                intermediate_size=128, patch_size=14, image_size=98)),
        checkpoint=None,
        init_seed=0),
    teacher_channels=64)
