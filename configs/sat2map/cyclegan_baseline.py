# CycleGAN satellite-to-map on pix2pix's Maps alone (no teacher): the
# baseline of table 2c. 1xb8, 200 epochs. PSNR of the translated map against
# the paired one, and FID with pytorch-fid's Inception from
# checkpoints/pt_inception-2015-12-05-6726825d.pth.
_base_ = [
    '../_base_/models/cyclegan_sat2map.py',
    '../_base_/datasets/maps_unpaired.py',
    '../_base_/schedules/translation_200ep.py'
]
metrics = [
    dict(_base_.psnr, gt_key='img_map', pred_key='fake_map'),
    dict(
        _base_.fid,
        fake_nums=1098,  # pix2pix's maps/val
        real_key='img_map',
        fake_key='fake_map')
]
val_evaluator = dict(metrics=metrics)
test_evaluator = val_evaluator
