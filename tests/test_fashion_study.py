"""projects/fashion_study on idx files the tests write, at a tiny budget:
the tables are the runs' own numbers (means, paired intervals computed
here with numpy and scipy), the verdicts follow the pre-registered rule,
runs are reused; and the study's pretext modules against hand-made cases."""
import json
import math
import os.path as osp
import sys

import numpy as np
import pytest
import torch
from scipy import stats

from conftest import REPO, run_script
from mmxtkd.datasets.fashion_mnist import FILES
from test_fashion_mnist import write_idx

PROJECT = osp.join(REPO, 'projects', 'fashion_study')
TOOL = osp.join(PROJECT, 'run_study.py')
sys.path.insert(0, PROJECT)
from fashion_study import (FashionStudy, StudySettings, claims,  # noqa: E402
                           verdict)

from projects.fashion_study.modules import (Denoiser, MeanPSNR,  # noqa: E402
                                            RotationLabel)


@pytest.fixture(scope='module')
def fashion_folder(tmp_path_factory):
    """Ten classes of 12 training and 4 test images; each class a
    different brightness, so that a few iterations learn something."""
    folder = tmp_path_factory.mktemp('fashion')
    rng = np.random.default_rng(0)
    for split, per_class in (('train', 12), ('test', 4)):
        labels = np.repeat(np.arange(10), per_class)
        images = rng.integers(0, 40, (len(labels), 28, 28)) + \
            20 * labels[:, None, None]
        write_idx(folder / FILES[split][0], images)
        write_idx(folder / FILES[split][1], labels)
    return str(folder)


@pytest.fixture(scope='module')
def pretrained(tmp_path_factory):
    """One folder of cached source models for the module's studies: each
    trains the 2-iteration source model at most once."""
    return str(tmp_path_factory.mktemp('pretrained'))


def test_the_study_tabulates_its_runs_with_the_preregistered_rule(
        fashion_folder, pretrained, tmp_path):
    out = tmp_path / 'out'
    settings = StudySettings(seeds=2, regimes={4: 2},
                             teachers=('random_wrn', ), source_iters=2,
                             out=str(out), pretrained=pretrained,
                             data_root=fashion_folder)
    FashionStudy(settings, log=lambda line: None)()
    printed = (out / 'study.md').read_text()
    study = json.loads((out / 'study.json').read_text())
    regime = study['regimes']['4']
    assert list(regime['arms']) == [
        'baseline', 'dropout', 'spectral', 'random_wrn_traditional',
        'random_wrn_inverted']

    def result(arm, seed):
        return json.loads((out / 'runs' / '4' / arm / f'seed{seed}' /
                           'result.json').read_text())

    for arm in regime['arms']:
        runs = [result(arm, seed)['metrics'] for seed in (0, 1)]
        for metric in ('test', 'train', 'gap'):
            values = [r[metric] for r in runs]
            assert regime['arms'][arm][metric]['mean'] == pytest.approx(
                np.mean(values))
            assert regime['arms'][arm][metric]['std'] == pytest.approx(
                np.std(values, ddof=1))
        assert runs[0]['gap'] == pytest.approx(runs[0]['train'] -
                                               runs[0]['test'])
    # a paired difference and its interval, computed another way
    trad = [result('random_wrn_traditional', s)['metrics']['test']
            for s in (0, 1)]
    inv = [result('random_wrn_inverted', s)['metrics']['test']
           for s in (0, 1)]
    diffs = np.subtract(inv, trad)
    half = stats.t.ppf(0.975, 1) * np.std(diffs, ddof=1) / math.sqrt(2)
    comparison = regime['comparisons']['random_wrn: inverted − traditional']
    assert comparison['mean'] == pytest.approx(diffs.mean())
    if half > 0:
        assert comparison['interval'] == pytest.approx(
            [diffs.mean() - half, diffs.mean() + half])
    assert comparison['verdict'] == verdict(comparison['interval'])
    # the projectors were measured; the arms without one were not
    spectrum = result('random_wrn_inverted', 0)['spectrum']
    assert spectrum['of'] == 64 and 1 <= spectrum['rank'] <= 64
    assert result('baseline', 0)['spectrum'] is None
    # the runs' subsets: 4 a class of the 5 target classes
    assert result('baseline', 1)['metrics']['train'] in {
        100 * k / 20 for k in range(21)}
    assert 'random_wrn: inverted − baseline' in printed
    # the claims' verdicts, counted from the comparisons by hand
    compared = regime['comparisons']
    counted = claims(study)
    assert counted['C1: inverted − traditional'] == {
        compared['random_wrn: inverted − traditional']['verdict']: 1}
    assert counted['control: dropout − baseline'] == {
        compared['dropout − baseline']['verdict']: 1}
    # a second call reuses everything
    log = []
    again = FashionStudy(settings, log=log.append)()
    assert not any('training' in line or 'seed' in line for line in log)
    assert again['regimes'][4]['arms']['baseline']['test']['values'] == \
        regime['arms']['baseline']['test']['values']


def test_the_demo_prints_its_three_runs_and_the_full_study(
        fashion_folder, pretrained, tmp_path):
    printed = run_script(TOOL, '--demo', '--regimes', '4:2',
                         '--source-iters', 2, '--out', tmp_path / 'demo',
                         '--pretrained', pretrained,
                         '--data-root', fashion_folder)
    study = json.loads((tmp_path / 'demo' / 'study.json').read_text())
    arms = study['regimes']['4']['arms']
    assert list(arms) == ['baseline', 'random_wrn_traditional',
                          'random_wrn_inverted']
    for arm, entry in arms.items():
        assert f'{arm:<26}test {entry["test"]["mean"]:6.2f}' in printed
    assert 'The full pre-registered study' in printed


@pytest.mark.parametrize('interval, expected', [
    ((0.1, 2.0), 'supports'), ((-2.0, -0.1), 'refutes'),
    ((-0.1, 2.0), 'inconclusive'), (None, 'inconclusive (one seed)')])
def test_the_decision_rule(interval, expected):
    assert verdict(interval) == expected


def test_rotation_label_turns_the_image_and_names_the_turns():
    image = np.arange(28 * 28, dtype=np.uint8).reshape(28, 28)
    transform = RotationLabel(seed=3)
    seen = set()
    for _ in range(20):
        out = transform(dict(img=image.copy(), gt_label=7))
        k = out['gt_label']
        np.testing.assert_array_equal(out['img'], np.rot90(image, k))
        seen.add(k)
    assert seen == {0, 1, 2, 3}


def test_the_denoiser_loss_and_psnr_are_the_formulas():
    torch.manual_seed(0)
    model = Denoiser(dict(type='mmxtkd.PlainConvNet', widths=(8, 16, 32)),
                     sigma=0.0)
    images = torch.rand(3, 1, 28, 28)
    clean = model.denoise(images).clamp(0, 1)
    mse = ((clean - images)**2).flatten(1).mean(1)
    predicted = model(images, mode='predict')
    assert [p['psnr'] for p in predicted] == pytest.approx(
        (-10 * torch.log10(mse)).tolist(), rel=1e-5)
    loss = model(images, mode='loss')['loss_mse']
    assert loss.item() == pytest.approx(
        ((model.denoise(images) - images)**2).mean().item(), rel=1e-5)
    assert model(images)[0].shape == (3, 32, 7, 7)
    metric = MeanPSNR()
    metric.process(None, predicted)
    assert metric.compute_metrics(metric.results)['PSNR'] == \
        pytest.approx(np.mean([p['psnr'] for p in predicted]))


def test_the_dense_variant_trains_an_mmseg_student_on_scenes(
        fashion_folder, pretrained, tmp_path):
    """The dense variant: the FCN student on scenes with the teacher
    applied to the whole scene, scored by mIoU on test and training
    scenes."""
    settings = StudySettings.dense(
        seeds=1, regimes={2: 2}, teachers=('random_wrn', ), plain_arms=(),
        source_iters=2, out=str(tmp_path / 'dense'), pretrained=pretrained,
        data_root=fashion_folder)
    FashionStudy(settings, log=lambda line: None)()
    study = json.loads((tmp_path / 'dense' / 'study.json').read_text())
    assert study['settings']['task'] == 'segmentation'
    printed = (tmp_path / 'dense' / 'study.md').read_text()
    assert 'mIoU (%)' in printed
    run = json.loads((tmp_path / 'dense' / 'runs' / '2' /
                      'random_wrn_inverted' / 'seed0' /
                      'result.json').read_text())
    assert 0 <= run['metrics']['test'] <= 100
    assert run['metrics']['gap'] == pytest.approx(
        run['metrics']['train'] - run['metrics']['test'])
    assert run['spectrum']['of'] == 64  # the inverted P: 128 -> 64
    assert 'random_wrn_inverted' in printed


def test_refilled_runs_both_stage2_forms_beside_the_teachers_rows(
        fashion_folder, tmp_path):
    """REFILLED on the tiny set, one seed: stage 2 starts from stage 1's
    checkpoint in both forms, each its own run."""
    from refilled import RefilledSettings, RefilledStudy
    settings = RefilledSettings(seeds=1, regimes={4: 1}, teacher_iters=1,
                                out=str(tmp_path / 'refilled'),
                                data_root=fashion_folder)
    log = []
    study = RefilledStudy(settings, log.append)()
    rows = study['regimes'][4]['rows']
    assert list(rows) == ['alone', 'teacher_ncm', 'teacher_probe',
                          'refilled_poster', 'refilled_code']
    runs = tmp_path / 'refilled' / 'runs' / '4' / 'seed0'
    for form in ('poster', 'code'):
        record = json.loads((runs / f'stage2_{form}' /
                             'result.json').read_text())
        options = record['settings']['options']
        assert options['model.student.init_cfg.checkpoint'] == str(
            runs / 'stage1.pth')
        assert options['model.distill_losses.local.'
                       'teacher_probabilities'] == form
    assert (runs / 'stage1.pth').is_file()
    assert 'stage2_code seed 0' in log[-1]


def test_the_teachers_rows_are_scikit_learns():
    from refilled import linear_probe, nearest_class_mean
    from sklearn.linear_model import LogisticRegression
    from sklearn.neighbors import NearestCentroid
    rng = np.random.default_rng(0)
    train_y, test_y = np.repeat(np.arange(3), 8), np.repeat(np.arange(3), 5)
    train_x = rng.normal(size=(24, 6)) + train_y[:, None]
    test_x = rng.normal(size=(15, 6)) + test_y[:, None]
    reference = NearestCentroid().fit(train_x, train_y)
    assert nearest_class_mean(train_x, train_y, test_x, test_y) == \
        pytest.approx(100 * reference.score(test_x, test_y))
    scale = train_x.std(0) + 1e-6
    probe = LogisticRegression(max_iter=2000).fit(train_x / scale, train_y)
    assert linear_probe(train_x, train_y, test_x, test_y) == pytest.approx(
        100 * probe.score(test_x / scale, test_y))
