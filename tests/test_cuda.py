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
from mmxtkd.utils.launch import use_amp_optim_wrapper

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
    teacher = model.distill.teacher.encoder
    seen = {}
    teacher.layers[0].attn.qkv.register_forward_hook(
        lambda m, a, out: seen.update(teacher=out.dtype))
    watched = dict(projector=model.distill.projector.proj.weight,
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
