"""Mixed precision on CPU (torch's CPU autocast, bf16 and fp16): the teacher
runs under the step's autocast, the spectral loss keeps float32, and the
main job's losses stay finite and near their float32 values."""
import os.path as osp

import pytest
import torch
from mmengine.config import Config
from mmengine.registry import MODELS
from mmengine.structures import PixelData
from mmseg.structures import SegDataSample

from conftest import REPO
from mmxtkd.models import SpectralRegLoss
from mmxtkd.utils import build_in_own_scope

HALF = [torch.bfloat16, torch.float16]


def depth_batch(n=2, size=(96, 128)):
    gen = torch.Generator().manual_seed(0)
    samples = []
    for _ in range(n):
        sample = SegDataSample(gt_depth_map=PixelData(
            data=torch.rand(1, *size, generator=gen) * 9 + 0.5))
        sample.set_metainfo(dict(img_shape=size, pad_shape=size))
        samples.append(sample)
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
    main_job.distill.teacher.encoder.layers[0].attn.qkv.register_forward_hook(
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
    loss = SpectralRegLoss(rank=4)
    expected = loss(z)
    with torch.autocast('cpu', dtype=dtype):
        got = loss(z)
    assert got.dtype == torch.float32
    torch.testing.assert_close(got, expected, rtol=1e-5, atol=0)
    v = torch.linalg.svd(z, full_matrices=False)[2][:4].t()
    halfway = (z.to(dtype) - (z.to(dtype) @ v.to(dtype)) @ v.t().to(dtype))
    assert abs(halfway.float().norm() - expected) > 1e-3 * expected
