"""SILog and the NYUv2 metric against hand-worked values."""
import math

import numpy as np
import pytest
import torch
from mmseg.models.losses import SiLogLoss

from mmxtkd.evaluation import NYUDepthMetric
from mmxtkd.models.depth import SILogLoss


def test_silog_hand_worked_case():
    # g = log(pred) - log(gt) = [0, ln 2]: mean g^2 = (ln2)^2 / 2,
    # mean g = ln2 / 2 -> D = (ln2)^2 (1/2 - 0.85/4) = 0.2875 (ln2)^2
    pred = torch.tensor([1.0, 2.0, 7.0]).view(1, 1, 1, 3)
    gt = torch.tensor([1.0, 1.0, 0.0]).view(1, 1, 1, 3)  # last pixel invalid
    expected = 10 * math.log(2) * math.sqrt(0.2875)
    assert SILogLoss()(pred, gt).item() == pytest.approx(expected, rel=1e-6)
    # the printed eq. 7 (+0.15 mean^2) would give a different number
    printed = 10 * math.log(2) * math.sqrt(0.5 + 0.15 / 4)
    assert abs(printed - expected) > 0.5


def test_silog_with_mmseg_arguments_equals_mmseg_silog():
    rng = np.random.default_rng(0)
    pred = torch.tensor(rng.uniform(0.5, 9, (3, 1, 5, 6)), dtype=torch.float32)
    gt = torch.tensor(rng.uniform(0.5, 9, (3, 1, 5, 6)), dtype=torch.float32)
    gt[0, 0, :2] = 0  # some invalid pixels
    ours = SILogLoss(variance_focus=0.5, scale=1.0, per_image=True,
                     min_depth=1e-6)(pred, gt)
    torch.testing.assert_close(ours, SiLogLoss()(pred, gt))


def test_silog_degenerate_inputs():
    pred = torch.full((2, 1, 3, 3), 2.0, requires_grad=True)
    loss = SILogLoss()(pred, torch.zeros(2, 1, 3, 3))  # nothing valid
    loss.backward()
    assert loss.item() == 0 and torch.isfinite(pred.grad).all()
    with pytest.raises(ValueError, match='differ'):
        SILogLoss()(torch.ones(1, 1, 2, 2), torch.ones(1, 1, 3, 2))
    with pytest.raises(ValueError, match='empty'):
        SILogLoss()(torch.ones(0, 1, 2, 2), torch.ones(0, 1, 2, 2))


def sample(pred, gt):
    return dict(pred_depth_map=dict(data=torch.tensor(pred)[None].float()),
                gt_depth_map=dict(data=torch.tensor(gt)[None].float()))


def test_metric_hand_worked_prediction():
    metric = NYUDepthMetric(crop_type=None)
    # one invalid pixel (gt 0); ratios 1.1, 1, 2 on the three valid ones
    metric.process(
        {}, [sample([[1.1, 2.0], [2.0, 5.0]], [[1.0, 2.0], [4.0, 0.0]])])
    res = metric.compute_metrics(metric.results)
    assert res['d1'] == pytest.approx(2 / 3)
    assert res['d2'] == pytest.approx(2 / 3)
    assert res['d3'] == pytest.approx(2 / 3)
    assert res['abs_rel'] == pytest.approx((0.1 + 0 + 0.5) / 3, rel=1e-5)
    assert res['sq_rel'] == pytest.approx((0.01 + 0 + 1.0) / 3, rel=1e-5)
    assert res['rmse'] == pytest.approx(
        math.sqrt((0.01 + 0 + 4) / 3), rel=1e-5)
    assert res['rmse_log'] == pytest.approx(
        math.sqrt((math.log(1.1)**2 + math.log(0.5)**2) / 3), rel=1e-5)


def test_metric_clips_predictions_and_averages_per_image():
    metric = NYUDepthMetric(crop_type=None, max_depth_eval=10.0)
    metric.process({}, [sample([[12.0]], [[8.0]]),      # clipped to 10
                        sample([[1.0, 1.0]], [[1.0, 2.0]])])
    res = metric.compute_metrics(metric.results)
    # image 1: |10 - 8| / 8 = 0.25 (unclipped: 0.5); image 2: (0 + 0.5) / 2
    assert res['abs_rel'] == pytest.approx(0.25)
    # image 1: ratio 10 / 8 = 1.25 is not < 1.25 -> 0; image 2: 1 of 2
    assert res['d1'] == pytest.approx((0 + 0.5) / 2)


def test_eigen_crop_equals_mmsegs_nyu_crop_at_480x640():
    from mmseg.evaluation.metrics import DepthMetric
    gt = torch.rand(480, 640) * 9 + 0.5
    ours = NYUDepthMetric()._get_eval_mask(gt)
    theirs = DepthMetric(crop_type='nyu_crop', min_depth_eval=1e-3,
                         max_depth_eval=10.0)._get_eval_mask(gt)
    assert torch.equal(ours, theirs)
    small = NYUDepthMetric()._get_eval_mask(torch.ones(120, 160))
    assert small.sum() == (round(471 / 4) - round(45 / 4)) * (
        round(601 / 4) - round(41 / 4))
