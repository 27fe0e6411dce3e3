# Table 2a on the data set of ./dlv3-r50_baseline.py (ADE20K here, COCO in
# ../coco, whose teacher configs link to these files): classification
# (ViT-B/16, ImageNet) teacher, inverted projection, L2 loss;
# DeepLabV3-ResNet-50 student. 1xb20, 80 epochs.
_base_ = ['./dlv3-r50_baseline.py', '../../_base_/teachers/vitb-cls.py']
model = dict(
    teacher={{_base_.vitb_cls_teacher}},
    projector=dict(type='mmxtkd.InvertedProjector'),
    teacher_channels={{_base_.vitb_cls_channels}},
    distill_losses=dict(l2=dict(type='mmxtkd.FitNetsLoss')))
# The projector's spectrum (the paper's figure 3), logged for both
# projections: the traditional twin inherits this hook.
custom_hooks = [dict(type='mmxtkd.SpectralRankHook', interval=100)]
