"""Satellite-to-map data: CycleGAN's unpaired folders with name-paired test
images, the converter from pix2pix's A|B pairs, the synthetic tiles, and PSNR
on mmagic's translation outputs."""
import os

import cv2
import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope

from conftest import REPO
from mmxtkd.datasets import make_synthetic_sat2map
from mmxtkd.datasets.editing import (UnpairedTranslationDataset,
                                     split_paired_folder)
from mmxtkd.datasets.synthetic_sat2map import MAP_COLOURS
from mmxtkd.evaluation.editing import TransPSNR


def maps_test_pipeline():
    """The test pipeline of configs/_base_/datasets/maps_unpaired.py."""
    return Config.fromfile(
        f'{REPO}/configs/_base_/datasets/maps_unpaired.py').test_pipeline


def dataset(root, test_mode=True, **kwargs):
    init_default_scope('mmagic')
    return UnpairedTranslationDataset(
        str(root), pipeline=maps_test_pipeline(), test_mode=test_mode,
        domain_a='aerial', domain_b='map', **kwargs)


def test_synthetic_tiles_pair_a_textured_photo_with_its_flat_map(tmp_path):
    counts = make_synthetic_sat2map(str(tmp_path), train_tiles=3,
                                    test_tiles=2, size=(40, 48))
    assert counts == {'train': 3, 'test': 2}
    assert sorted(os.listdir(tmp_path / 'testB')) == ['1_B.png', '2_B.png']
    photo = cv2.imread(str(tmp_path / 'trainA' / '2_A.png'))[..., ::-1]
    flat = cv2.imread(str(tmp_path / 'trainB' / '2_B.png'))[..., ::-1]
    assert photo.shape == flat.shape == (40, 48, 3)
    # the map is the palette only; the photo is textured, not the palette
    palette = {tuple(c) for c in MAP_COLOURS}
    assert {tuple(p) for p in flat.reshape(-1, 3)} <= palette
    assert len({tuple(p) for p in photo.reshape(-1, 3)}) > 100
    # where the map shows water the photo is darker than where it shows land
    water = (flat == MAP_COLOURS[1]).all(-1)
    land = (flat == MAP_COLOURS[0]).all(-1)
    if water.any():
        assert photo[water].mean() < photo[land].mean()
    again = tmp_path / 'again'
    make_synthetic_sat2map(str(again), train_tiles=3, test_tiles=2,
                           size=(40, 48))
    assert (cv2.imread(str(again / 'trainA' / '2_A.png'))[..., ::-1]
            == photo).all()


def test_test_split_loads_name_paired_in_mmagic(tmp_path):
    make_synthetic_sat2map(str(tmp_path), train_tiles=3, test_tiles=2,
                           size=(32, 32))
    data = dataset(tmp_path)
    assert len(data) == 2
    for i in range(2):
        info = data.get_data_info(i)
        assert info['img_aerial_path'].endswith(f'testA/{i + 1}_A.png')
        assert info['img_map_path'].endswith(f'testB/{i + 1}_B.png')
        sample = data[i]['data_samples']
        # resized to the configs' 256 x 256, BGR as loaded
        assert tuple(sample.img_map.shape) == (3, 256, 256)
    train = dataset(tmp_path, test_mode=False)
    assert len(train) == 3


def test_a_missing_or_empty_side_and_unpaired_tests_are_named(tmp_path):
    make_synthetic_sat2map(str(tmp_path), train_tiles=2, test_tiles=2,
                           size=(32, 32))
    os.rename(tmp_path / 'testB' / '2_B.png', tmp_path / 'testB' / '7_B.png')
    with pytest.raises(ValueError, match=r"testA and .*testB are not paired "
                       r"by name \(2 and 2 images; unmatched: \['2', '7'\]"):
        dataset(tmp_path)
    assert len(dataset(tmp_path, paired_test=False)) == 2
    for f in os.listdir(tmp_path / 'trainA'):
        os.remove(tmp_path / 'trainA' / f)
    with pytest.raises(FileNotFoundError, match=r'trainA holds no images: '
                       'the data root needs trainA, trainB, testA and testB'):
        dataset(tmp_path, test_mode=False)
    os.rename(tmp_path / 'testB', tmp_path / 'test_b')
    with pytest.raises(FileNotFoundError, match=r'testB is missing: .*'
                       'pix2pix_to_unpaired.py'):
        dataset(tmp_path)


def test_converter_splits_pix2pix_pairs_losslessly(tmp_path):
    rng = np.random.default_rng(0)
    src = tmp_path / 'maps' / 'val'
    src.mkdir(parents=True)
    pairs = {}
    for name in ('1', '10'):
        pairs[name] = rng.integers(0, 256, (12, 16, 3), dtype=np.uint8)
        cv2.imwrite(str(src / f'{name}.png'), pairs[name])
    assert split_paired_folder(str(src), str(tmp_path / 'out'), 'test') == 2
    for name, pair in pairs.items():
        a = cv2.imread(str(tmp_path / 'out' / 'testA' / f'{name}_A.png'))
        b = cv2.imread(str(tmp_path / 'out' / 'testB' / f'{name}_B.png'))
        assert (a == pair[:, :8]).all() and (b == pair[:, 8:]).all()
    # the converted folders are name-paired for the data set
    (tmp_path / 'out' / 'trainA').mkdir()
    (tmp_path / 'out' / 'trainB').mkdir()
    assert len(dataset(tmp_path / 'out')) == 2
    cv2.imwrite(str(src / '3.png'), np.zeros((4, 9, 3), np.uint8))
    with pytest.raises(ValueError, match=r'val/3.png is 9 px wide'):
        split_paired_folder(str(src), str(tmp_path / 'out2'), 'test')


def test_trans_psnr_reads_the_translation_beside_its_target():
    rng = np.random.default_rng(0)
    gt = rng.integers(0, 256, (3, 8, 8)).astype(np.float64)
    fake = np.clip(gt + rng.normal(0, 10, gt.shape), 0, 255)
    metric = TransPSNR(gt_key='img_map', pred_key='fake_map')
    metric.process([], [dict(img_map=torch.tensor(gt),
                             fake_map=torch.tensor(fake))])
    expected = 10 * np.log10(255 ** 2 / np.mean((gt - fake) ** 2))
    # mmagic's psnr works on float32 images; under numpy 2 (NEP 50) its
    # logarithm stays float32 too: 27.9089069 against 27.9089057 here
    assert metric.compute_metrics(metric.results)['PSNR'] == pytest.approx(
        expected, abs=1e-5)
