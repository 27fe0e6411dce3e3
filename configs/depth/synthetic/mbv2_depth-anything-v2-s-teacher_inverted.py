# ../mbv2_depth-anything-v2-s-teacher_inverted.py's synthetic twin: the
# synthetic demo's data, student and budget with a tiny random Depth Anything
# (a DINOv2 of 4 blocks of width 64, patch 14, and its neck and head; seed 0)
# built from its transformers config in place of Depth Anything V2-S's
# folder (transformers >= 4.45).
_base_ = [
    './mbv2_vitb-cls-teacher_inverted.py',
    '../../_base_/teachers/depth-anything-v2-s.py'
]
model = dict(
    teacher=dict(
        _delete_=True,
        type='mmxtkd.FrozenTeacher',
        model=dict(
            type='mmxtkd.TransformersFeatures',
            layer='backbone',
            config=dict(
                architecture='DepthAnythingForDepthEstimation',
                backbone_config=dict(
                    model_type='dinov2', hidden_size=64,
                    num_hidden_layers=4, num_attention_heads=2,
                    intermediate_size=128, patch_size=14, image_size=98,
                    out_features=['stage1', 'stage2', 'stage3', 'stage4'],
                    reshape_hidden_states=False),
                reassemble_hidden_size=64,
                neck_hidden_sizes=[16, 32, 48, 64], fusion_hidden_size=16,
                head_hidden_size=8)),
        out_index=-1,
        checkpoint=None,
        init_seed=0),
    teacher_channels=64)
