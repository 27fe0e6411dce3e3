# Colourisation student (supplementary 6.3.3, 6.4): mmagic's Pix2Pix - UNet
# generator with batch norm (8 downsamplings: a 512 x 1 x 1 bottleneck at
# 256x256), PatchGAN discriminator, vanilla GAN loss + L1 x 100 - as
# mmxtkd.DistillPix2Pix: the grayscale copy (img_gray) in, the colour photo
# (img_photo) out. The networks see RGB in [-1, 1]; Z_s is the bottleneck.
_base_ = [
    'mmagic::_base_/models/base_pix2pix.py',
    '../teachers/imagenet_from_gan_input.py'
]
custom_imports = dict(
    imports=[
        'mmxtkd', 'mmxtkd.models.editing', 'mmxtkd.datasets.editing',
        'mmxtkd.evaluation.editing'
    ],
    allow_failed_imports=False)
model = dict(
    type='mmxtkd.DistillPix2Pix',
    default_domain='photo',
    reachable_domains=['photo'],
    related_domains=['photo', 'gray'],
    data_preprocessor=dict(
        data_keys=['img_photo', 'img_gray'], output_channel_order='RGB'),
    student_channels=512)
