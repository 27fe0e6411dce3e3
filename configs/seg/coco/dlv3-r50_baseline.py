# DeepLabV3 on a dilated ResNet-50 alone (no teacher) on COCO (80 classes):
# the baseline of table 2a. 1xb20, 80 epochs, 512x512 crops.
_base_ = [
    '../../_base_/models/seg_deeplabv3_r50-d8.py',
    '../../_base_/datasets/coco_semantic80.py',
    '../../_base_/schedules/seg_80ep.py', '../../_base_/default_runtime.py'
]
model = dict(student=dict(decode_head=dict(num_classes=_base_.num_classes)))
