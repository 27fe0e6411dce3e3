# FitNets from two cross-task teachers at once, each through its own inverted
# projection into the MobileNetV2-0.5 student's last map: classification
# (ViT-B/16, ImageNet) and segmentation (torchvision's DeepLabV3-ResNet-50,
# COCO-VOC). Not in the paper (whose runs have one teacher); each term is
# weighted 1:1 with the task loss, as one teacher's is. Logs
# loss_distill_cls_fitnets and loss_distill_seg_fitnets, and each
# projector's rank under its pair's name. 1xb16, 25 epochs.
_base_ = [
    './mbv2_baseline.py', '../_base_/teachers/vitb-cls.py',
    '../_base_/teachers/dlv3-seg.py'
]
model = dict(
    teachers=dict(
        cls={{_base_.vitb_cls_teacher}},
        seg={{_base_.dlv3_seg_teacher}}),
    distill_pairs=dict(
        cls=dict(
            teacher='cls',
            teacher_channels={{_base_.vitb_cls_channels}},
            projector=dict(type='mmxtkd.InvertedProjector'),
            losses=dict(fitnets=dict(type='mmxtkd.FitNetsLoss'))),
        seg=dict(
            teacher='seg',
            teacher_channels={{_base_.dlv3_seg_channels}},
            projector=dict(type='mmxtkd.InvertedProjector'),
            losses=dict(fitnets=dict(type='mmxtkd.FitNetsLoss')))))
# The projector's spectrum (the paper's figure 3), logged for both
# projections: the traditional twin inherits this hook.
custom_hooks = [dict(type='mmxtkd.SpectralRankHook', interval=100)]
