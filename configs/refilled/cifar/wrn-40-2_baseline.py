# WRN-40-2 trained alone on CIFAR-100: the "Teacher" row of REFILLED's
# standard-KD table (and its (40, 2) "Student"), the teacher the other
# configs load (_base_/teachers/wrn-40-2.py). 1xb128, 200 epochs.
_base_ = [
    '../../_base_/models/cls_wrn_cifar100.py',
    '../../_base_/datasets/cifar100.py',
    '../../_base_/schedules/refilled_200ep.py',
    '../../_base_/classification_runtime.py'
]
