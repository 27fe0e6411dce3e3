# Instance-segmentation teacher of the paper: the SwinV2-B backbone of AiT's
# COCO instance-segmentation model (ait_insseg_swinv2b.pth). Convert it once:
#   python tools/model_converters/swinv2_ait_to_mmpretrain.py \
#       ait_insseg_swinv2b.pth checkpoints/ait-swinv2b_insseg_mmpretrain.pth
# The same backbone as the depth teacher, with shifted windows in every stage
# (AiT's swinv2b_640reso_inssegonly).
_base_ = ['./ait-depth.py']
ait_insseg_teacher = dict(
    _base_.ait_depth_teacher,
    model=dict(_base_.ait_depth_teacher.model,
               stage_cfgs=[_base_.stage] * 4),
    checkpoint='checkpoints/ait-swinv2b_insseg_mmpretrain.pth')
ait_insseg_channels = _base_.ait_depth_channels
