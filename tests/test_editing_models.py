"""Distillation-aware Pix2Pix and CycleGAN on mmagic: which map is Z_s, where
the distillation term goes, and which parameters it moves."""
import pytest
import torch
from mmagic.engine.optimizers import MultiOptimWrapperConstructor
from mmagic.structures import DataSample
from mmengine.logging import MessageHub
from mmengine.registry import init_default_scope

from mmxtkd.models.editing import DistillCycleGAN, DistillPix2Pix

TEACHER = dict(type='mmxtkd.FrozenTeacher',
               model=dict(type='mmxtkd.TorchvisionFeatures', name='resnet18',
                          node='layer2'),
               checkpoint=None, init_seed=0)
DISTILL = dict(
    teacher=TEACHER,
    projector=dict(type='mmxtkd.InvertedProjector'),
    teacher_channels=128,
    distill_losses=dict(l2=dict(type='mmxtkd.FitNetsLoss')))
DISC = dict(type='PatchDiscriminator', base_channels=8, num_conv=2,
            norm_cfg=dict(type='BN'), init_cfg=dict(type='normal', gain=0.02))


def pix2pix(**distill):
    init_default_scope('mmagic')
    return DistillPix2Pix(
        generator=dict(type='UnetGenerator', in_channels=3, out_channels=3,
                       num_down=5, base_channels=8),
        discriminator=dict(DISC, in_channels=6),
        data_preprocessor=dict(type='DataPreprocessor'),
        loss_config=dict(pixel_loss_weight=100.0), default_domain='photo',
        reachable_domains=['photo'], related_domains=['photo', 'gray'],
        student_channels=64, **distill)


def cyclegan(**distill):
    init_default_scope('mmagic')
    return DistillCycleGAN(
        generator=dict(
            type='ResnetGenerator',
            in_channels=3,
            out_channels=3,
            base_channels=8,
            num_blocks=2,
            norm_cfg=dict(type='IN')),
        discriminator=dict(DISC, in_channels=3, norm_cfg=dict(type='IN')),
        data_preprocessor=dict(type='DataPreprocessor'),
        loss_config=dict(cycle_loss_weight=10.0, id_loss_weight=0.5),
        default_domain='map',
        reachable_domains=['map', 'aerial'],
        related_domains=['map', 'aerial'],
        student_channels=32,
        **distill)


def batch(domains, size=32):
    gen = torch.Generator().manual_seed(0)
    return dict(inputs={f'img_{d}': torch.randint(0, 255, (2, 3, size, size),
                                                  generator=gen).float()
                        for d in domains},
                data_samples=[DataSample(), DataSample()])


def optimizers(model, modules=('generators', 'distill')):
    return MultiOptimWrapperConstructor(dict(
        generators=dict(optimizer=dict(type='Adam', lr=1e-3),
                        modules=list(modules)),
        discriminators=dict(optimizer=dict(type='Adam', lr=1e-3),
                            modules='discriminators')))(model)


def unet_down_path(generator, x):
    """The UNet's encoder walked block by block, independently of hooks."""
    block = generator.model
    while True:
        x = block.model[0](x)
        inner = [m for m in block.model if type(m) is type(block)]
        if not inner:
            return x
        block = inner[0]


@pytest.fixture(autouse=True)
def message_hub():
    MessageHub.get_instance('mmxtkd-test').update_info('iter', 0)


def test_pix2pix_distils_the_bottleneck_of_the_generator_input():
    model = pix2pix(**DISTILL)
    data = model.data_preprocessor(batch(['photo', 'gray']), True)['inputs']
    model._passes = []
    outputs = dict(real_gray=data['img_gray'], real_photo=data['img_photo'],
                   fake_photo=model(data['img_gray'], test_mode=False,
                                    target_domain='photo')['target'])
    teacher_input, z_s = model.distillation_pair(outputs)
    assert teacher_input is data['img_gray']
    generator = model.generators['photo']
    torch.testing.assert_close(z_s, unet_down_path(generator,
                                                   data['img_gray']))
    assert z_s.shape == (2, 64, 1, 1)  # 32 / 2^5

    # the term is in the generator's loss; its gradient reaches the
    # generator and the projector, not the discriminator or the teacher
    loss, log_vars = model._get_gen_loss(outputs)
    model._passes = None
    assert {'loss_distill_l2', 'loss_gan_g', 'loss_pixel'} <= set(log_vars)
    torch.testing.assert_close(
        log_vars['loss'], log_vars['loss_gan_g'] + log_vars['loss_pixel']
        + log_vars['loss_distill_l2'])
    distill = log_vars['loss_distill_l2']
    grads = torch.autograd.grad(
        distill, [model.distill.pairs['main'].projector.proj.weight] +
        list(generator.parameters()) + list(model.discriminators.parameters()),
        allow_unused=True,
        retain_graph=True)
    assert grads[0].abs().sum() > 0
    assert any(g is not None and g.abs().sum() > 0 for g in grads[1:-len(
        list(model.discriminators.parameters()))])
    assert all(g is None for g in grads[-len(list(
        model.discriminators.parameters())):])
    assert list(model.distill.teachers['main'].parameters()) == []
    encoder = model.distill.teachers['main'].encoder
    assert not any(p.requires_grad for p in encoder.parameters())


def test_pix2pix_train_step_updates_the_projector_with_the_generator():
    model = pix2pix(**DISTILL)
    wrappers = optimizers(model)
    weight = model.distill.pairs['main'].projector.proj.weight
    proj = weight.detach().clone()
    encoder = model.distill.teachers['main'].encoder
    teacher = next(encoder.parameters()).detach().clone()
    log_vars = model.train_step(batch(['photo', 'gray']), wrappers)
    assert 'loss_distill_l2' in log_vars and 'loss_gan_d_fake' in log_vars
    assert not torch.equal(weight, proj)
    assert torch.equal(next(encoder.parameters()), teacher)
    # the projector's optimizer state lives in the generators' optimizer,
    # so checkpoints and --resume carry it
    state = wrappers.state_dict()['generators']['state']
    params = [p for g in wrappers['generators'].optimizer.param_groups
              for p in g['params']]
    index = next(i for i, p in enumerate(params)
                 if p is model.distill.pairs['main'].projector.proj.weight)
    assert torch.is_tensor(state[index]['exp_avg'])

    with pytest.raises(ValueError, match="add 'distill' to the generators' "
                       'modules'):
        model.train_step(batch(['photo', 'gray']),
                         optimizers(model, modules=['generators']))


@pytest.mark.parametrize('feature', ['cycle', 'translation'])
def test_cyclegan_captures_the_encoder_map_it_names(feature):
    model = cyclegan(student_feature=feature, **DISTILL)
    data = model.data_preprocessor(batch(['map', 'aerial']), True)['inputs']
    model._passes = []
    fake_map = model(data['img_aerial'], test_mode=False,
                     target_domain='map')['target']
    model(fake_map, test_mode=False, target_domain='aerial')  # the cycle
    outputs = dict(real_aerial=data['img_aerial'], fake_map=fake_map)
    teacher_input, z_s = model.distillation_pair(outputs)
    model._passes = None
    assert teacher_input is data['img_aerial']
    # the encoder: the ResnetGenerator's layers before its upsampling
    if feature == 'cycle':  # G_B_E(G_A(x)): G_B maps maps back to aerial
        encoder, x = model.generators['aerial'].model[:5], fake_map
    else:  # G_A_E(x)
        encoder, x = model.generators['map'].model[:5], data['img_aerial']
    torch.testing.assert_close(z_s, encoder(x))
    assert z_s.shape == (2, 32, 8, 8)


def test_cyclegan_train_step_logs_the_term_and_bad_names_are_errors():
    model = cyclegan(**DISTILL)
    log_vars = model.train_step(batch(['map', 'aerial']), optimizers(model))
    assert {'loss_distill_l2', 'cycle_loss', 'id_loss'} <= set(log_vars)
    with pytest.raises(ValueError, match="'cycle' .* or 'translation'"):
        cyclegan(student_feature='encoder', **DISTILL)
    init_default_scope('mmagic')
    with pytest.raises(TypeError, match='not a ResNet generator'):
        DistillCycleGAN.encoder_end(torch.nn.Conv2d(3, 3, 1))


def test_cyclegan_with_two_teachers_logs_each_pair_and_updates_both():
    """Two pairs on the one Z_s, each its own teacher and projector: both
    terms reach the generators' loss under their pairs' names, and both
    projectors train with the generators; a pair cannot pick another
    student map."""
    deep = dict(TEACHER, model=dict(TEACHER['model'], node='layer3'),
                init_seed=1)
    pairs = dict(
        shallow=dict(teacher='r18_layer2', teacher_channels=128,
                     projector=dict(type='mmxtkd.InvertedProjector'),
                     losses=DISTILL['distill_losses']),
        deep=dict(teacher='r18_layer3', teacher_channels=256,
                  projector=dict(type='mmxtkd.TraditionalProjector'),
                  losses=DISTILL['distill_losses']))
    model = cyclegan(teachers=dict(r18_layer2=TEACHER, r18_layer3=deep),
                     distill_pairs=pairs)
    before = {n: p.projector.proj.weight.detach().clone()
              for n, p in model.distill.named_pairs()}
    log_vars = model.train_step(batch(['map', 'aerial']), optimizers(model))
    assert {'loss_distill_shallow_l2', 'loss_distill_deep_l2'} <= set(log_vars)
    for name, pair in model.distill.named_pairs():
        assert not torch.equal(pair.projector.proj.weight, before[name])
    with pytest.raises(ValueError, match=r'distill_pairs\.deep\.'
                       'student_feature: not a setting of a pair'):
        cyclegan(teachers=dict(r18_layer2=TEACHER, r18_layer3=deep),
                 distill_pairs=dict(pairs, deep=dict(
                     pairs['deep'], student_feature='translation')))


def test_init_weights_is_pix2pix_normal_init_despite_mmagic_2109():
    """mmagic's own init_weights raises UnboundLocalError for these models;
    ours gives the pix2pix init: conv weights ~ N(0, 0.02), BN weights ~
    N(1, 0.02)."""
    from mmagic.models import Pix2Pix
    model = pix2pix(**DISTILL)
    with pytest.raises(UnboundLocalError):
        Pix2Pix.init_weights(model)
    model = pix2pix(**DISTILL)
    model.init_weights()
    convs = [m.weight for m in model.modules()
             if isinstance(m, (torch.nn.Conv2d, torch.nn.ConvTranspose2d))
             and m is not model.distill.pairs['main'].projector.proj]
    weights = torch.cat([w.flatten() for w in convs])
    assert abs(float(weights.std()) - 0.02) < 0.002
    assert abs(float(weights.mean())) < 0.002
    bns = torch.cat([m.weight.flatten() for m in model.modules()
                     if isinstance(m, torch.nn.BatchNorm2d)])
    assert abs(float(bns.mean()) - 1.0) < 0.01


# docs/user_guides/configs.md's example: an mmagic user's own Pix2Pix
# config, distilled
USER_CONFIG = """\
_base_ = 'mmagic::pix2pix/pix2pix_vanilla-unet-bn_1xb1-80kiters_facades.py'
custom_imports = dict(
    imports=['mmxtkd', 'mmxtkd.models.editing'], allow_failed_imports=False)
model = dict(
    type='mmxtkd.DistillPix2Pix',
    # the networks and the teacher see RGB
    data_preprocessor=dict(output_channel_order='RGB'),
    teacher=dict(
        type='mmxtkd.FrozenTeacher',
        model=dict(type='mmxtkd.TorchvisionFeatures', name='resnet50',
                   node='layer4'),
        checkpoint='checkpoints/resnet50-0676ba61.pth',
        # from the generator's [-1, 1] to ImageNet's statistics
        mean=[123.675, 116.28, 103.53], std=[58.395, 57.12, 57.375],
        student_mean=[127.5] * 3, student_std=[127.5] * 3),
    projector=dict(type='mmxtkd.InvertedProjector'),
    student_channels=512, teacher_channels=2048,
    distill_losses=dict(l2=dict(type='mmxtkd.FitNetsLoss')))
optim_wrapper = dict(
    generators=dict(modules=['generators', 'distill']),
    discriminators=dict(modules='discriminators'))
"""


def test_an_mmagic_pix2pix_config_becomes_distilled_as_the_docs_say(
        tmp_path, monkeypatch):
    from mmengine.config import Config
    from mmengine.optim import build_optim_wrapper
    from mmengine.registry import MODELS

    from conftest import REPO
    with open(f'{REPO}/docs/user_guides/configs.md') as f:
        assert USER_CONFIG in f.read()
    torch.manual_seed(0)
    from torchvision.models import resnet50
    (tmp_path / 'checkpoints').mkdir()
    torch.save(resnet50().state_dict(),
               tmp_path / 'checkpoints' / 'resnet50-0676ba61.pth')
    (tmp_path / 'my_pix2pix_distilled.py').write_text(USER_CONFIG)
    monkeypatch.chdir(tmp_path)
    cfg = Config.fromfile('my_pix2pix_distilled.py')
    init_default_scope(cfg.default_scope)
    # what a 256x256 run costs is not the point: 32x32, 5 downsamplings
    cfg.model.generator.num_down = 5
    model = MODELS.build(cfg.model)
    wrappers = build_optim_wrapper(model, cfg.optim_wrapper)  # as the Runner
    log_vars = model.train_step(batch(['photo', 'mask']), wrappers)
    assert {'loss_distill_l2', 'loss_gan_g', 'loss_pixel'} <= set(log_vars)
    assert model.distill.teachers['main'].checkpoint == \
        'checkpoints/resnet50-0676ba61.pth'


def test_a_non_finite_gan_loss_stops_training():
    """The generators' step of a GAN student refuses a NaN loss as the
    distiller does (both go through parse_losses)."""
    model = pix2pix(**DISTILL)
    data = batch(['photo', 'gray'])
    data['inputs']['img_gray'][0, 0, 0, 0] = float('nan')
    with pytest.raises(FloatingPointError, match=r'non-finite loss at '
                       r'iteration 1: .*loss_'):
        model.train_step(data, optimizers(model))
