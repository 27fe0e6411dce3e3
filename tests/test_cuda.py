"""What only a CUDA GPU can check (skipped elsewhere): mmengine's
AmpOptimWrapper training the main job, as ``tools/train.py --amp`` sets it
up. Imports only what the benchmark needs, so that it runs on a GPU machine
that has no mmagic."""
import os.path as osp

import pytest
import torch
from mmengine.config import Config
from mmengine.optim import build_optim_wrapper
from mmengine.registry import MODELS, DefaultScope

from conftest import REPO, depth_samples
from mmxtkd.apis.launch import use_amp_optim_wrapper

pytestmark = pytest.mark.skipif(not torch.cuda.is_available(),
                                reason='needs a CUDA GPU')
MAIN_JOB = osp.join(REPO, 'configs', 'depth', 'synthetic',
                    'mbv2_vitb-cls-teacher_inverted.py')


def depth_data(n=4, size=(96, 128)):
    gen = torch.Generator().manual_seed(0)
    samples = depth_samples(n, size, gen)
    images = [torch.randint(0, 256, (3, *size), generator=gen,
                            dtype=torch.uint8) for _ in range(n)]
    return dict(inputs=images, data_samples=samples)


@pytest.mark.parametrize('dtype', ['bfloat16', 'float16'])
def test_amp_optim_wrapper_trains_the_main_job(dtype):
    cfg = Config.fromfile(MAIN_JOB)
    use_amp_optim_wrapper(cfg, dtype)
    torch.manual_seed(0)
    with DefaultScope.overwrite_default_scope(cfg.default_scope):
        model = MODELS.build(cfg.model).cuda()
        wrapper = build_optim_wrapper(model, cfg.optim_wrapper)
    assert type(wrapper).__name__ == 'AmpOptimWrapper'
    teacher = model.distill.teachers['main'].encoder
    seen = {}
    teacher.layers[0].attn.qkv.register_forward_hook(
        lambda m, a, out: seen.update(teacher=out.dtype))
    watched = dict(projector=model.distill.pairs['main'].projector.proj.weight,
                   student=model.student.decode_head.depth_conv.weight,
                   teacher=teacher.layers[0].attn.qkv.weight)
    before = {k: w.detach().clone() for k, w in watched.items()}
    for _ in range(3):
        log_vars = model.train_step(depth_data(), wrapper)
    assert seen['teacher'] == getattr(torch, dtype)
    assert all(torch.isfinite(torch.as_tensor(v)).all()
               for v in log_vars.values()), log_vars
    assert 'loss_distill_fitnets' in log_vars
    assert not torch.equal(before['projector'], watched['projector'])
    assert not torch.equal(before['student'], watched['student'])
    assert torch.equal(before['teacher'], watched['teacher'])  # frozen


def sync_bn_step(rank: int, world: int, port: int, out: str) -> None:
    """One DDP step of a BatchNorm student, its BN converted as the configs'
    ``sync_bn='torch'`` has mmengine do, on this process's half of the
    batch; rank 0 saves the gradients and BN's running statistics. Two
    GPUs: NCCL, one each; one GPU: both processes on it, over gloo."""
    import os

    import torch.distributed as dist
    from mmengine.model import convert_sync_batchnorm
    two_gpus = torch.cuda.device_count() >= 2
    os.environ.update(MASTER_ADDR='127.0.0.1', MASTER_PORT=str(port))
    dist.init_process_group('nccl' if two_gpus else 'gloo', rank=rank,
                            world_size=world)
    device = torch.device('cuda', rank if two_gpus else 0)
    model = convert_sync_batchnorm(bn_student().to(device), 'torch')
    model = torch.nn.parallel.DistributedDataParallel(
        model, device_ids=[device.index])
    images = bn_batch().to(device).chunk(world)[rank]
    model(images).pow(2).mean().backward()
    if rank == 0:
        net = model.module
        torch.save(dict(grads={k: p.grad.cpu() for k, p in
                               net.named_parameters()},
                        mean=net[1].running_mean.cpu(),
                        var=net[1].running_var.cpu()), out)
    dist.destroy_process_group()


def bn_student() -> torch.nn.Module:
    torch.manual_seed(0)
    return torch.nn.Sequential(
        torch.nn.Conv2d(3, 8, 3), torch.nn.BatchNorm2d(8), torch.nn.ReLU(),
        torch.nn.Conv2d(8, 4, 1))


def bn_batch() -> torch.Tensor:
    gen = torch.Generator().manual_seed(1)
    # the halves differ in mean, so per-process BN would differ
    x = torch.randn(4, 3, 12, 12, generator=gen)
    x[2:] += 3
    return x


def test_sync_bn_two_processes_step_as_one_with_the_whole_batch(tmp_path):
    import socket

    import torch.multiprocessing as mp
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        port = s.getsockname()[1]
    out = str(tmp_path / 'two.pth')
    mp.spawn(sync_bn_step, args=(2, port, out), nprocs=2, join=True)
    two = torch.load(out)
    model = bn_student().cuda()
    model(bn_batch().cuda()).pow(2).mean().backward()
    for key, p in model.named_parameters():
        torch.testing.assert_close(two['grads'][key], p.grad.cpu(),
                                   rtol=1e-4, atol=1e-6, msg=key)
    torch.testing.assert_close(two['mean'], model[1].running_mean.cpu())
    torch.testing.assert_close(two['var'], model[1].running_var.cpu(),
                               rtol=1e-4, atol=1e-6)


def test_every_tasks_student_runs_on_cuda_without_mmcv_cuda_ops():
    """One training step of each task's synthetic config on CUDA tensors.
    With mmcv built with its CPU ops only (MMXTKD_MMCV_OPS=cpu), any mmcv
    CUDA op on the way would raise: the segmentors, depth decoders, GAN
    generators and DeiT use torch's ops."""
    pytest.importorskip('mmagic')
    from mmengine.logging import MessageHub
    from mmpretrain.structures import DataSample as ClsDataSample

    from test_amp import seg_batch, task_model, translation_batch

    def to_cuda(value):
        if torch.is_tensor(value):
            return value.cuda()
        if isinstance(value, dict):
            return {k: to_cuda(v) for k, v in value.items()}
        if isinstance(value, list):
            return [to_cuda(v) for v in value]
        return value.to('cuda') if hasattr(value, 'to') else value

    MessageHub.get_instance('mmxtkd-cuda-test').update_info('iter', 0)
    images, samples = seg_batch()
    cls_images = torch.randint(0, 255, (16, 3, 64, 64)).float()
    labels = [ClsDataSample().set_gt_label(i % 10) for i in range(16)]
    steps = {
        'depth/synthetic/mbv2_vitb-cls-teacher_inverted.py': depth_data(),
        'seg/synthetic/dlv3-r18_r50-random-teacher_inverted.py':
            dict(inputs=list(images.clamp(0, 1) * 255), data_samples=samples),
        'teacher_free/deit-ti_spectral-r8.py':
            dict(inputs=list(cls_images), data_samples=labels),
        'colourisation/synthetic/pix2pix-s_r50-random-teacher_inverted.py':
            translation_batch(['photo', 'gray'], 64),
        'sat2map/synthetic/cyclegan-s_r50-random-teacher_inverted.py':
            translation_batch(['map', 'aerial'], 32),
    }
    for config, data in steps.items():
        cfg, model = task_model(config)
        model = model.cuda()
        with DefaultScope.overwrite_default_scope(cfg.default_scope):
            wrapper = build_optim_wrapper(model, cfg.optim_wrapper)
            log_vars = model.train_step(to_cuda(data), wrapper)
        assert any(k.startswith('loss_distill') for k in log_vars), config
        assert all(torch.isfinite(torch.as_tensor(v)).all()
                   for v in log_vars.values()), (config, log_vars)
