# Satellite-to-map student (supplementary 6.3.3, 6.4): mmagic's CycleGAN - two
# ResNet generators (9 residual blocks, instance norm), PatchGAN
# discriminators, LSGAN losses, cycle consistency x 10 and identity x 0.5
# (the original CycleGAN's defaults) - as mmxtkd.DistillCycleGAN translating
# aerial photos (img_aerial) into maps (img_map). The networks see RGB in
# [-1, 1]. Z_s = G_B_E(G_A(x)): the encoder map (256 x H/4 x W/4) of the
# map -> aerial generator on the translated map; the teacher sees the photo.
_base_ = [
    'mmagic::_base_/models/base_cyclegan.py',
    '../teachers/imagenet_from_gan_input.py'
]
custom_imports = dict(
    imports=[
        'mmxtkd', 'mmxtkd.models.editing', 'mmxtkd.datasets.editing',
        'mmxtkd.evaluation.editing'
    ],
    allow_failed_imports=False)
model = dict(
    type='mmxtkd.DistillCycleGAN',
    default_domain='map',
    reachable_domains=['aerial', 'map'],
    related_domains=['aerial', 'map'],
    data_preprocessor=dict(
        data_keys=['img_aerial', 'img_map'], output_channel_order='RGB'),
    loss_config=dict(cycle_loss_weight=10., id_loss_weight=0.5),
    student_feature='cycle',
    student_channels=256)
