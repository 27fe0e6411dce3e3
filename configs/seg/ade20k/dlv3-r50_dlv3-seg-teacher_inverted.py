# Table 2a, ADE20K: segmentation (DeepLabV3-R50, COCO-VOC) teacher,
# inverted projection, L2 loss; DeepLabV3-ResNet-50 student. 1xb20, 80 epochs.
_base_ = [
    './dlv3-r50_baseline.py', '../../_base_/teachers/deeplabv3-r50_seg.py',
    '../../_base_/projections/inverted.py'
]
model = dict(teacher={{_base_.teacher}}, projector={{_base_.projector}},
             teacher_channels={{_base_.teacher_channels}},
             distill_losses=dict(l2=dict(type='mmxtkd.FitNetsLoss')))
