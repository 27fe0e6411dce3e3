# FitNets, inverted projection: instance-segmentation (mmdet Mask R-CNN R-50)
# teacher -> MobileNetV2-0.5 + Decoder. 1xb16, 25 epochs.
_base_ = ['./mbv2_baseline.py', '../_base_/teachers/maskrcnn-r50_insseg.py',
          '../_base_/projections/inverted.py']
model = dict(
    teacher={{_base_.maskrcnn_r50_insseg_teacher}},
    projector={{_base_.projector}},
    teacher_channels={{_base_.maskrcnn_r50_insseg_channels}},
    distill_losses=dict(fitnets=dict(type='mmxtkd.FitNetsLoss')))
