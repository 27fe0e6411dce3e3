"""tools/analysis/benchmark_data.py's pieces (the decode floor of each
task's pipeline, the worker count, the timings on a small tree) and the
synthetic sets it is measured on
(tools/dataset_converters/make_synthetic.py)."""
import os.path as osp

import cv2
import pytest
from mmengine.config import Config

from conftest import REPO, run_script
from mmxtkd.benchmarks.data_pipeline import (loading_prefix, pipeline_costs,
                                             workers_needed)


@pytest.mark.parametrize('config,loads', [
    ('depth/mbv2_baseline.py',
     ['LoadImageFromFile', 'mmxtkd.LoadCheckedDepthAnnotation']),
    ('seg/ade20k/dlv3-r50_baseline.py',
     ['LoadImageFromFile', 'mmxtkd.LoadCheckedSegAnnotations']),
    ('colourisation/pix2pix_baseline.py', ['mmxtkd.LoadCheckedPairedImage']),
    ('sat2map/cyclegan_baseline.py',
     ['mmagic.LoadImageFromFile', 'mmagic.LoadImageFromFile'])])
def test_the_decode_floor_is_the_pipelines_leading_loads(config, loads):
    cfg = Config.fromfile(osp.join(REPO, 'configs', config),
                          import_custom_modules=False)
    pipeline = cfg.train_dataloader.dataset.pipeline
    assert [t['type'] for t in loading_prefix(pipeline)] == loads
    assert len(pipeline) > len(loads)


def test_a_pipeline_without_loads_has_no_floor():
    with pytest.raises(ValueError, match='does not start with a Load'):
        loading_prefix([dict(type='RandomFlip'), dict(type='LoadImage')])


def test_workers_deliver_the_batch_at_the_step_rate():
    assert workers_needed(100.0, 4.0, 16) == 1  # 64 images/s
    assert workers_needed(10.0, 4.0, 16) == 7   # 6.4 -> 7
    assert workers_needed(64.0, 4.0, 16) == 1   # exactly one


def test_costs_on_a_small_synthetic_tree(tmp_path):
    from mmxtkd.datasets import make_synthetic_nyu
    root = str(tmp_path / 'nyu')
    make_synthetic_nyu(root, train_scenes=2, test_scenes=1,
                       frames_per_scene=2, size=(48, 64))
    cfg = Config.fromfile(osp.join(REPO, 'configs', 'depth',
                                   'mbv2_baseline.py'))
    dataset = cfg.train_dataloader.dataset
    dataset.data_root = root
    costs = pipeline_costs(dataset, cfg.default_scope, samples=4)
    names = [name for name, _ in costs['transforms']]
    assert names == [t['type'] for t in dataset.pipeline]
    seconds = [s for _, s in costs['transforms']]
    assert all(s > 0 for s in seconds)
    # the floor is the two loads, the whole the sum of every transform
    assert costs['decode_images_per_s'] == pytest.approx(1 / sum(seconds[:2]))
    assert costs['images_per_s'] == pytest.approx(1 / sum(seconds))
    assert costs['ratio'] == pytest.approx(
        costs['decode_images_per_s'] / costs['images_per_s'])


@pytest.mark.parametrize('task,marker', [
    ('depth', 'nyudepthv2_train_files_with_gt.txt'),
    ('seg', 'images/training/ADE_train_00000002.jpg'),
    ('colourisation', 'train/2.png'),
    ('sat2map', 'trainA/2_A.png')])
def test_make_synthetic_writes_each_tasks_layout_at_the_size(
        tmp_path, task, marker):
    out = tmp_path / task
    printed = run_script(
        osp.join(REPO, 'tools', 'dataset_converters', 'make_synthetic.py'),
        '--task', task, '--out', out, '--train', 2, '--test', 1,
        '--frames', 1, '--size', 24, 40)
    assert (out / marker).is_file(), printed
    if task == 'depth':
        img = cv2.imread(str(next(out.glob('sync/*/rgb_*.jpg'))))
    else:
        img = cv2.imread(str(out / marker))
    width = 80 if task == 'colourisation' else 40  # colour | gray
    assert img.shape == (24, width, 3)
    assert 'train' in printed and 'done in' in printed
