# Pix2Pix colourisation on CMP Facades alone (no teacher): the baseline of
# table 2b. 1xb8, 200 epochs. PSNR, and FID with pytorch-fid's Inception
# from checkpoints/pt_inception-2015-12-05-6726825d.pth.
_base_ = [
    '../_base_/models/pix2pix_colourisation.py',
    '../_base_/datasets/facades_colourisation.py',
    '../_base_/schedules/translation_200ep.py'
]
metrics = [
    dict(_base_.psnr, gt_key='img_photo', pred_key='fake_photo'),
    dict(
        _base_.fid,
        fake_nums=106,  # the facades test split
        real_key='img_photo',
        fake_key='fake_photo')
]
val_evaluator = dict(metrics=metrics)
test_evaluator = val_evaluator
