# Table 2a, COCO (80 classes): random (DeepLabV3-ResNet-50, seed 0) teacher,
# inverted projection, L2 loss; DeepLabV3-ResNet-50 student. 1xb20, 80 epochs.
_base_ = [
    './dlv3-r50_baseline.py', '../../_base_/teachers/deeplabv3-r50_random.py',
    '../../_base_/projections/inverted.py'
]
model = dict(teacher={{_base_.teacher}}, projector={{_base_.projector}},
             teacher_channels={{_base_.teacher_channels}},
             distill_losses=dict(l2=dict(type='mmxtkd.FitNetsLoss')))
