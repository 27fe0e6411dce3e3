# A depth teacher from transformers (the same task as the depth students:
# the reference row): Depth Anything V2-Small (huggingface.co/depth-anything/
# Depth-Anything-V2-Small-hf, its folder in checkpoints/depth-anything-v2-
# small; transformers >= 4.45 reads it). Z_t: its DINOv2-S encoder's last
# output (stage12), 384 x H/14 x W/14, class token dropped; its input
# normalisation is ImageNet's, as the students'.
depth_anything_v2_s_teacher = dict(
    type='mmxtkd.FrozenTeacher',
    model=dict(type='mmxtkd.TransformersFeatures',
               folder='checkpoints/depth-anything-v2-small',
               layer='backbone'),
    out_index=-1)
depth_anything_v2_s_channels = 384
