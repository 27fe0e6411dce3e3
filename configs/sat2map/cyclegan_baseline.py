# CycleGAN satellite-to-map on pix2pix's Maps alone (no teacher): the
# baseline of table 2c. 1xb8, 200 epochs. PSNR of the translated map against
# the paired one, and FID with pytorch-fid's Inception from
# checkpoints/pt_inception-2015-12-05-6726825d.pth.
_base_ = [
    '../_base_/models/cyclegan_sat2map.py',
    '../_base_/datasets/maps_unpaired.py',
    '../_base_/schedules/translation_200ep.py',
    '../_base_/translation_runtime.py'
]
