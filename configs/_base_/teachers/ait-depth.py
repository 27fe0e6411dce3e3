# Depth (same-task) teacher of the paper: the SwinV2-B backbone of AiT's NYUv2
# depth model (SwinTransformer/AiT, ait_depth_swinv2b_ar.pth). Convert it once:
#   python tools/model_converters/swinv2_ait_to_mmpretrain.py \
#       ait_depth_swinv2b_ar.pth checkpoints/ait-swinv2b_depth_mmpretrain.pth
# The options reproduce AiT's swinv2b_480reso_depthonly backbone: windows
# (30, 30, 30, 15) fine-tuned from SimMIM's (12, 12, 12, 6), no shifted windows
# in the last two stages, LayerNorm eps 1e-6, and AiT's padding of maps that
# are not a multiple of the window (pad_small_map). Inputs are normalised with
# ImageNet's mean/std, as the students' are. Z_t: stage 4, 1024 x H/32 x W/32.
ln = dict(type='LN', eps=1e-6)
stage = dict(
    block_cfgs=dict(norm_cfg=ln),
    downsample_cfg=dict(use_post_norm=True, norm_cfg=ln))
unshifted_stage = dict(stage, block_cfgs=dict(norm_cfg=ln, shift=False))
ait_depth_teacher = dict(
    type='mmxtkd.FrozenTeacher',
    model=dict(
        type='mmpretrain.SwinTransformerV2',
        arch='base',
        img_size=480,
        window_size=[30, 30, 30, 15],
        pretrained_window_sizes=[12, 12, 12, 6],
        pad_small_map=True,
        out_indices=(3, ),
        norm_cfg=ln,
        patch_cfg=dict(norm_cfg=ln),
        stage_cfgs=[stage, stage, unshifted_stage, unshifted_stage]),
    checkpoint='checkpoints/ait-swinv2b_depth_mmpretrain.pth')
ait_depth_channels = 1024
