"""Mixed precision on CPU (torch's CPU autocast, bf16 and fp16): the teacher
runs under the step's autocast, the spectral loss keeps float32, and the
main job's losses stay finite and near their float32 values."""
import os.path as osp
from contextlib import nullcontext

import pytest
import torch
from mmengine.config import Config
from mmengine.logging import MessageHub
from mmengine.optim import build_optim_wrapper
from mmengine.registry import MODELS, DefaultScope
from mmengine.structures import PixelData
from mmpretrain.structures import DataSample as ClsDataSample
from mmseg.structures import SegDataSample

from conftest import REPO, TINY_CONFIG, depth_samples, run_script
from mmxtkd.apis.launch import use_amp_optim_wrapper
from mmxtkd.models import SpectralRegLoss
from mmxtkd.registry import build_in_own_scope

HALF = [torch.bfloat16, torch.float16]


def depth_batch(n=2, size=(96, 128)):
    gen = torch.Generator().manual_seed(0)
    samples = depth_samples(n, size, gen)
    return torch.randn(n, 3, *size, generator=gen), samples


@pytest.fixture(scope='module')
def main_job():
    cfg = Config.fromfile(osp.join(
        REPO, 'configs/depth/synthetic/mbv2_vitb-cls-teacher_inverted.py'))
    torch.manual_seed(0)
    return build_in_own_scope(MODELS, cfg.model).eval()  # no dropout/BN drift


@pytest.mark.parametrize('dtype', HALF, ids=str)
def test_the_main_job_under_autocast(main_job, dtype):
    inputs, samples = depth_batch()
    seen = {}
    # a matrix product inside the teacher (its output, after a LayerNorm,
    # is float32 under autocast too)
    main_job.distill.teachers['main'].encoder.layers[0].attn.qkv.register_forward_hook(
        lambda m, a, out: seen.update(teacher=out.dtype))
    reference = main_job.loss(inputs, samples)
    with torch.autocast('cpu', dtype=dtype):
        half = main_job.loss(inputs, samples)
    assert seen['teacher'] == dtype  # the teacher ran under the same autocast
    assert set(half) == set(reference)
    for key, value in half.items():
        assert torch.isfinite(value), key
        torch.testing.assert_close(value.float(), reference[key],
                                   rtol=0.05, atol=0)


@pytest.mark.parametrize('dtype', HALF, ids=str)
def test_spectral_subspace_stays_float32_under_autocast(dtype):
    """The same float32 features give the same loss with and without
    autocast; computed in half precision, the tail (a small difference of
    large projections) would be off by far more."""
    gen = torch.Generator().manual_seed(0)
    # a strong rank-4 part and a small tail
    z = (torch.randn(512, 4, generator=gen) @ torch.randn(4, 64, generator=gen)
         * 10 + 0.05 * torch.randn(512, 64, generator=gen))
    loss = SpectralRegLoss(rank=4, reduction='norm')
    expected = loss(z)
    with torch.autocast('cpu', dtype=dtype):
        got = loss(z)
    assert got.dtype == torch.float32
    torch.testing.assert_close(got, expected, rtol=1e-5, atol=0)
    v = torch.linalg.svd(z, full_matrices=False)[2][:4].t()
    halfway = (z.to(dtype) - (z.to(dtype) @ v.to(dtype)) @ v.t().to(dtype))
    assert abs(halfway.float().norm() - expected) > 1e-3 * expected


# -- every task's student under autocast, and --amp's optimizer wrappers --

def task_model(config: str):
    cfg = Config.fromfile(osp.join(REPO, 'configs', config))
    torch.manual_seed(0)
    with DefaultScope.overwrite_default_scope(cfg.default_scope):
        return cfg, MODELS.build(cfg.model)


def seg_batch(n=2, size=(96, 128)):
    gen = torch.Generator().manual_seed(0)
    samples = []
    for _ in range(n):
        sample = SegDataSample(gt_sem_seg=PixelData(
            data=torch.randint(0, 5, (1, *size), generator=gen)))
        sample.set_metainfo(dict(img_shape=size, pad_shape=size))
        samples.append(sample)
    return torch.randn(n, 3, *size, generator=gen), samples


def translation_batch(domains, size):
    from mmagic.structures import DataSample as EditDataSample
    gen = torch.Generator().manual_seed(0)
    return dict(inputs={f'img_{d}': torch.randint(
        0, 255, (2, 3, size, size), generator=gen).float() for d in domains},
                data_samples=[EditDataSample(), EditDataSample()])


def gan_losses(config, domains, size, dtype):
    """The log of one train step (plain optimizer wrappers; the step runs
    under ``dtype``'s autocast, or float32), from the same weights. The
    discriminators' learning rate is 0: the generators' losses come after
    the discriminators' step, and one Adam step moves every weight by the
    learning rate, however small and noisy its gradient."""
    cfg, model = task_model(config)
    cfg.optim_wrapper.discriminators.optimizer.lr = 0
    model.init_weights()
    MessageHub.get_instance('mmxtkd-amp-test').update_info('iter', 0)
    with DefaultScope.overwrite_default_scope(cfg.default_scope):
        wrappers = build_optim_wrapper(model, cfg.optim_wrapper)
        with (torch.autocast('cpu', dtype=dtype) if dtype
              else nullcontext()):
            return model.train_step(translation_batch(domains, size),
                                    wrappers)


@pytest.mark.parametrize('config,domains,size', [
    ('colourisation/synthetic/pix2pix-s_r50-random-teacher_inverted.py',
     ['photo', 'gray'], 64),
    ('sat2map/synthetic/cyclegan-s_r50-random-teacher_inverted.py',
     ['map', 'aerial'], 32)], ids=['pix2pix', 'cyclegan'])
def test_the_gan_students_train_step_under_autocast(config, domains, size):
    reference = gan_losses(config, domains, size, None)
    for dtype in HALF:
        half = gan_losses(config, domains, size, dtype)
        assert set(half) == set(reference) and 'loss_distill_l2' in half
        assert_close_and_finite(half, reference, f'{dtype}: ')


def assert_close_and_finite(half: dict, reference: dict, where: str) -> None:
    """Every term finite and within 5 % of its float32 value."""
    for key, value in half.items():
        value = torch.as_tensor(value)
        assert torch.isfinite(value).all(), where + key
        torch.testing.assert_close(
            value.float(), torch.as_tensor(reference[key]).float(),
            rtol=0.05, atol=1e-3, msg=lambda m, key=key: f'{where}{key}: {m}')


def test_the_seg_and_teacher_free_students_under_autocast():
    _, seg = task_model(
        'seg/synthetic/dlv3-r18_r50-random-teacher_inverted.py')
    _, deit = task_model('teacher_free/deit-ti_spectral-r8.py')
    seg.eval()  # no BN statistics drift between the passes
    deit.eval()
    inputs, samples = seg_batch()
    images = torch.randn(16, 3, 64, 64, generator=torch.Generator()
                         .manual_seed(0))
    labels = [ClsDataSample().set_gt_label(i % 10) for i in range(16)]
    for model, batch in ((seg, (inputs, samples)), (deit, (images, labels))):
        reference = model.loss(*batch)
        assert any(k.startswith('loss_distill') for k in reference)
        for dtype in HALF:
            with torch.autocast('cpu', dtype=dtype):
                half = model.loss(*batch)
            assert set(half) == set(reference)
            where = f'{type(model.student).__name__} {dtype}: '
            assert_close_and_finite(half, reference, where)


@pytest.mark.parametrize('config', [
    'depth/mbv2_vitb-cls-teacher_inverted.py',
    'seg/ade20k/dlv3-r50_r50-random-teacher_inverted.py',
    'colourisation/pix2pix_r50-random-teacher_inverted.py',
    'sat2map/cyclegan_r50-random-teacher_inverted.py',
    'teacher_free/deit-ti_spectral-r8.py'])
def test_amp_turns_every_optimizer_wrapper_of_a_task_into_amp(config):
    cfg = Config.fromfile(osp.join(REPO, 'configs', config))
    use_amp_optim_wrapper(cfg, 'bfloat16')
    wrapper = cfg.optim_wrapper
    subs = ([wrapper] if 'optimizer' in wrapper else
            [wrapper.generators, wrapper.discriminators])
    for sub in subs:
        assert (sub.type, sub.dtype, sub.loss_scale) == (
            'AmpOptimWrapper', 'bfloat16', 'dynamic')


def test_amp_refuses_another_wrapper_and_a_cpu(tmp_path):
    cfg = Config(dict(optim_wrapper=dict(type='ApexOptimWrapper',
                                         optimizer=dict(type='SGD'))))
    with pytest.raises(ValueError, match='optim_wrapper.type is '
                       'ApexOptimWrapper'):
        use_amp_optim_wrapper(cfg, 'float16')
    if torch.cuda.is_available():
        return
    with pytest.raises(SystemExit, match='--amp needs a CUDA GPU'):
        run_script(osp.join(REPO, 'tools', 'train.py'), TINY_CONFIG, '--amp',
                   '--work-dir', tmp_path)
