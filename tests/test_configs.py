"""Every config in configs/ builds (model and datasets' pipelines) on CPU.

No teacher weights exist on a test machine: a configured teacher checkpoint
is left out (the model stays randomly initialised) after checking that the
config names one; the loading itself is tested in test_teacher.py.
"""
import glob
import json
import os.path as osp

import pytest
from mmengine.config import Config
from mmengine.registry import DATASETS, MODELS, DefaultScope

from conftest import REPO

CONFIGS = sorted(
    p for p in glob.glob(osp.join(REPO, 'configs', '**', '*.py'),
                         recursive=True) if '_base_' not in p)


MODEL_SNAPSHOT = osp.join(REPO, 'tests', 'data', 'config_models.json')


def test_configs_build_the_recorded_models():
    """Every config's ``model`` equals the recorded one, so rewriting how the
    configs inherit from each other cannot change what they build. Update
    tests/data/config_models.json only with a change that means to."""
    with open(MODEL_SNAPSHOT) as f:
        recorded = json.load(f)
    current = {
        osp.relpath(p, osp.join(REPO, 'configs')):
        json.loads(json.dumps(
            Config.fromfile(p, import_custom_modules=False).model.to_dict()))
        for p in CONFIGS
    }
    assert sorted(current) == sorted(recorded)
    changed = [name for name in current if current[name] != recorded[name]]
    assert not changed


def test_there_is_a_config_for_every_family():
    names = {osp.relpath(p, osp.join(REPO, 'configs')) for p in CONFIGS}
    assert 'depth/mbv2_vitb-cls-teacher_inverted.py' in names
    assert 'depth/synthetic/mbv2_vitb-cls-teacher_inverted.py' in names
    assert len([n for n in names if n.startswith('depth/mbv2_')]) == 39
    assert len([n for n in names if '_spectral-r' in n]) == 6


@pytest.mark.parametrize('path', CONFIGS,
                         ids=[osp.relpath(p, REPO) for p in CONFIGS])
def test_config_builds(path):
    cfg = Config.fromfile(path)
    teacher = cfg.model.get('teacher')
    if teacher is not None and teacher.get('checkpoint'):
        assert teacher.checkpoint.startswith('checkpoints/')
        teacher.checkpoint = None
    with DefaultScope.overwrite_default_scope(cfg.default_scope):
        model = MODELS.build(cfg.model)
        for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
            dataset = DATASETS.build(dict(cfg[loader].dataset, lazy_init=True))
            assert len(dataset.pipeline.transforms) == len(
                cfg[loader].dataset.pipeline)
    assert type(model).__name__ == 'CrossTaskDistiller'
    if teacher is not None:
        assert model.distill.projector is not None
