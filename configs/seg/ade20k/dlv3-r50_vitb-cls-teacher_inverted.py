# Table 2a, ADE20K: classification (ViT-B/16, ImageNet) teacher,
# inverted projection, L2 loss; DeepLabV3-ResNet-50 student. 1xb20, 80 epochs.
_base_ = [
    './dlv3-r50_baseline.py', '../../_base_/teachers/vitb16_cls.py',
    '../../_base_/projections/inverted.py'
]
model = dict(teacher={{_base_.teacher}}, projector={{_base_.projector}},
             teacher_channels={{_base_.teacher_channels}},
             distill_losses=dict(l2=dict(type='mmxtkd.FitNetsLoss')))
