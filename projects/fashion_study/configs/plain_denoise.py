# A dense cross-task teacher: a plain VGG-style encoder (PlainConvNet,
# 32-64-128 channels, stride 4: its map (B, 128, 7, 7)) and a decoder
# trained to remove Gaussian noise (sigma 0.3 of the 0-1 range) from all
# 60,000 training images, labels unused; validated by the PSNR on the
# 10,000 test images. Random, it is the study's second random teacher (an
# architecture other than the WRN).
_base_ = './wrn-16-1_fashion0-4.py'
classes = (0, 1, 2, 3, 4, 5, 6, 7, 8, 9)
model = dict(
    _delete_=True,
    type='mmxtkd.Denoiser',
    backbone=dict(type='mmxtkd.PlainConvNet', in_channels=1,
                  widths=(32, 64, 128)),
    sigma=0.3)
train_dataloader = dict(
    dataset=dict(classes=classes, pipeline=[dict(type='PackInputs')]))
val_dataloader = dict(dataset=dict(classes=classes))
test_dataloader = val_dataloader
val_evaluator = dict(_delete_=True, type='mmxtkd.MeanPSNR')
test_evaluator = val_evaluator
optim_wrapper = dict(
    _delete_=True,
    optimizer=dict(type='AdamW', lr=1e-3, weight_decay=1e-4))
