# REFILLED's standard-KD teacher: WRN-40-2 trained on CIFAR-100 by
# configs/refilled/cifar/wrn-40-2_baseline.py; its checkpoint, copied to
# checkpoints/, loads into the same model config. Its map: the backbone's
# last (128 x 8 x 8), pooled into the embedding; KD takes the whole
# classifier's logits instead (feature='student').
wrn_40_2_teacher = dict(
    type='mmxtkd.FrozenTeacher',
    model='mmxtkd::_base_/models/cls_wrn_cifar100.py',
    feature='student.backbone',
    checkpoint='checkpoints/wrn-40-2_cifar100.pth')
wrn_40_2_channels = 128
