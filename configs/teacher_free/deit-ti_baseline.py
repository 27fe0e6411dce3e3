# DeiT-Ti on ImageNet-1k with mmpretrain's own recipe
# (deit/deit-tiny_4xb256_in1k.py: 300 epochs, AdamW lr 1e-3 for a total batch
# of 1024 = 4 x 256, cosine with 20 warm-up epochs, RandAugment, random
# erasing, Mixup/CutMix, label smoothing), as the student of
# mmxtkd.CrossTaskDistiller with no distillation term: the baseline of
# paper table 4 (72.2 top-1).
_base_ = 'mmpretrain::deit/deit-tiny_4xb256_in1k.py'
custom_imports = dict(imports=['mmxtkd'], allow_failed_imports=False)
model = dict(
    _delete_=True,
    type='mmxtkd.CrossTaskDistiller',
    student=dict(_base_.model, data_preprocessor=_base_.data_preprocessor))
# the classifier's data preprocessor is in the student (the Runner would
# otherwise hand it to the distiller)
data_preprocessor = None
