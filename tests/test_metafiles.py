"""The model index: a metafile.yml per config family, written from its
paper_results.yml, imported by model-index.yml, loaded with modelindex
(the library mim reads it with) and with mmengine's get_config."""
import glob
import os.path as osp

import pytest
import yaml
from modelindex.load_model_index import load

from conftest import REPO
from mmxtkd.results.metafiles import family_configs, render_metafile
from mmxtkd.results.paper_results import load_paper_tables

PAPER_FILES = sorted(glob.glob(osp.join(REPO, 'configs', '*',
                                        'paper_results.yml')))


@pytest.mark.parametrize('path', PAPER_FILES,
                         ids=[osp.relpath(p, REPO) for p in PAPER_FILES])
def test_metafile_is_written_from_the_paper_file(path):
    with open(osp.join(osp.dirname(path), 'metafile.yml')) as f:
        assert f.read() == render_metafile(path), (
            'run python tools/analysis/collect_results.py --paper-only '
            '--write')


def test_model_index_loads_every_config_with_its_paper_cells():
    with open(osp.join(REPO, 'model-index.yml')) as f:
        imported = yaml.safe_load(f)['Import']
    assert sorted(imported) == sorted(
        osp.relpath(osp.join(osp.dirname(p), 'metafile.yml'), REPO)
        for p in PAPER_FILES)
    index = load(osp.join(REPO, 'model-index.yml'))
    assert not [e for e in index.collect_check_errors() if e["errors"]]
    models = {m.config: m for m in index.models}
    expected = []
    for path in PAPER_FILES:
        spec = load_paper_tables(path)
        task = osp.basename(osp.dirname(path))
        collection = spec['collection']
        configs = family_configs(osp.dirname(path), dict(
            collection['datasets'], **collection.get('demos', {})))
        expected += [f'configs/{task}/{c}' for c in configs]
    assert sorted(models) == sorted(expected)
    assert len(models) > 170
    assert all(not m.weights for m in index.models)
    # the demos' twins are listed, without the paper's cells of their names
    demo = models['configs/depth/synthetic/mbv2_baseline.py']
    assert not demo.results
    assert demo.metadata.data['Training Data'].startswith('synthetic')
    # cells, checked against the paper's numbers written here by hand
    vit = models['configs/depth/mbv2_vitb-cls-teacher_inverted.py']
    assert vit.results[0].metrics == {'d1': 0.85, 'AbsRel': 0.124,
                                      'RMS': 0.434}
    assert vit.results[0].dataset == 'NYUv2'
    base = models['configs/depth/mbv2_baseline.py']  # four tables, one cell
    assert len(base.results) == 1 and base.results[0].metrics['d1'] == 0.845
    assert base.metadata.data['Paper Tables'] == ['S4', 'S5', 'S6', 'S7']
    # the paper prints this cell twice, with different PSNRs (2c, S10)
    sat = models['configs/sat2map/cyclegan_vitb-cls-teacher_inverted.py']
    assert [r.metrics['PSNR'] for r in sat.results] == [36.29, 36.28]
    coco = models['configs/seg/coco/dlv3-r50_dlv3-seg-teacher_inverted.py']
    assert coco.results[0].metrics == {'mIoU': 36.5, 'pixel acc.': 0.767}
    assert coco.results[0].dataset == 'COCO (80 classes)'
    assert not models['configs/depth/mbv2_spectral-r2.py'].results


def test_mmengine_finds_a_config_by_its_metafile():
    from mmengine.config.utils import _get_cfg_metainfo

    import mmxtkd
    package = osp.dirname(mmxtkd.__file__)
    meta = _get_cfg_metainfo(package,
                             'depth/mbv2_vitb-cls-teacher_inverted.py')
    assert meta['Config'] == 'configs/depth/mbv2_vitb-cls-teacher_inverted.py'
    assert osp.isfile(osp.join(package, '.mim', meta['Config']))
