# Pix2Pix colourisation on CMP Facades alone (no teacher): the baseline of
# table 2b. 1xb8, 200 epochs. PSNR, and FID with pytorch-fid's Inception
# from checkpoints/pt_inception-2015-12-05-6726825d.pth.
_base_ = [
    '../_base_/models/pix2pix_colourisation.py',
    '../_base_/datasets/facades_colourisation.py',
    '../_base_/schedules/translation_200ep.py',
    '../_base_/translation_runtime.py'
]
