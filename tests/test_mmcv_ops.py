"""mmcv's compiled CPU ops, as tools/install.sh builds them, against
torchvision's own implementations of the same operators: a build with
other flags (a precompiled header, no debug info) must compute the same."""
import pytest
import torch
import torchvision

mmcv_ops = pytest.importorskip('mmcv.ops')


def random_boxes(n: int, gen: torch.Generator) -> torch.Tensor:
    xy = torch.rand(n, 2, generator=gen) * 50
    wh = torch.rand(n, 2, generator=gen) * 30 + 1
    return torch.cat([xy, xy + wh], 1)


def test_nms_keeps_what_torchvision_keeps():
    gen = torch.Generator().manual_seed(0)
    boxes = random_boxes(300, gen)
    scores = torch.rand(300, generator=gen)
    for iou in (0.3, 0.5, 0.7):
        _, keep = mmcv_ops.nms(boxes, scores, iou)
        expected = torchvision.ops.nms(boxes, scores, iou)
        assert keep.tolist() == expected.tolist(), iou


def test_roi_align_equals_torchvisions():
    gen = torch.Generator().manual_seed(1)
    feats = torch.randn(2, 8, 32, 40, generator=gen, dtype=torch.float64,
                        requires_grad=True)
    boxes = random_boxes(16, gen).double()
    rois = torch.cat([torch.randint(0, 2, (16, 1), generator=gen).double(),
                      boxes], 1)
    ours = mmcv_ops.roi_align(feats, rois, (7, 7), 0.5, 2, 'avg', True)
    expected = torchvision.ops.roi_align(feats, rois, (7, 7), 0.5, 2, True)
    torch.testing.assert_close(ours, expected, rtol=1e-10, atol=1e-12)
    grad_ours, = torch.autograd.grad(ours.sum(), feats)
    grad_expected, = torch.autograd.grad(expected.sum(), feats)
    torch.testing.assert_close(grad_ours, grad_expected, rtol=1e-10,
                               atol=1e-12)
