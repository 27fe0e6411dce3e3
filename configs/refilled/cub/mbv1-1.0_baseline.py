# MobileNet v1 (width 1) trained alone on CUB's classes 100-199: the
# "Student" row of REFILLED's CUB-200 table. 1xb128, 200 epochs.
_base_ = [
    '../../_base_/models/cls_mbv1_cub.py',
    '../../_base_/datasets/cub_class_split.py',
    '../../_base_/schedules/refilled_200ep.py',
    '../../_base_/classification_runtime.py'
]
