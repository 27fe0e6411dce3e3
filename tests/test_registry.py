"""Scopes: mmxtkd components from other packages' configs and the reverse."""
import subprocess
import sys

import pytest
import torch
from mmengine.registry import DefaultScope

from mmxtkd.models import FitNetsLoss
from mmxtkd.registry import MODELS, build_in_own_scope


@pytest.mark.parametrize('scope', ['mmseg', 'mmdet', 'mmpretrain', 'mmagic'])
def test_other_scopes_reach_mmxtkd_with_a_prefix(scope):
    registry = __import__(f'{scope}.registry', fromlist=['MODELS']).MODELS
    with DefaultScope.overwrite_default_scope(scope):
        loss = registry.build(dict(type='mmxtkd.FitNetsLoss', loss_weight=2.0))
    assert isinstance(loss, FitNetsLoss) and loss.loss_weight == 2.0


def test_mmxtkd_scope_reaches_other_packages_with_a_prefix():
    with DefaultScope.overwrite_default_scope('mmxtkd'):
        loss = MODELS.build(dict(type='mmseg.SiLogLoss'))
        backbone = MODELS.build(dict(type='mmpretrain.MobileNetV2'))
    assert type(loss).__module__.startswith('mmseg.')
    assert type(backbone).__module__.startswith('mmpretrain.')


SEGMENTOR = dict(
    type='mmseg.EncoderDecoder',
    data_preprocessor=dict(type='SegDataPreProcessor'),
    backbone=dict(type='ResNetV1c', depth=18, out_indices=(3, )),
    decode_head=dict(type='FCNHead', in_channels=512, channels=8,
                     num_convs=1, num_classes=3, in_index=0,
                     norm_cfg=dict(type='BN')))


def test_nested_unprefixed_types_build_in_their_own_scope():
    with DefaultScope.overwrite_default_scope('mmxtkd'):
        # mmengine alone looks 'ResNetV1c' up in the current (mmxtkd) scope
        with pytest.raises(
                KeyError, match='not in the mmxtkd::model registry'):
            MODELS.build(SEGMENTOR)
        model = build_in_own_scope(MODELS, SEGMENTOR)
    assert type(model.backbone).__name__ == 'ResNetV1c'
    model.eval()
    out = model(torch.randn(1, 3, 32, 32), mode='tensor')
    assert out.shape[1] == 3


def run_py(code: str) -> str:
    return subprocess.run([sys.executable, '-c', code], check=True,
                          capture_output=True, text=True).stdout


def test_importing_sets_no_scope_and_register_all_modules_is_mmsegs():
    """In a fresh interpreter: importing mmxtkd (and its models) sets no
    default scope; register_all_modules then behaves as mmseg's."""
    out = run_py(
        'import warnings\n'
        'import mmxtkd, mmxtkd.models\n'
        'from mmengine.registry import DefaultScope\n'
        'print(DefaultScope.get_current_instance())\n'
        'from mmxtkd.apis import register_all_modules\n'
        'register_all_modules(init_default_scope=False)\n'
        'print(DefaultScope.get_current_instance())\n'
        'register_all_modules()\n'
        'print(DefaultScope.get_current_instance().scope_name)\n'
        'DefaultScope.get_instance("other", scope_name="mmseg")\n'
        'with warnings.catch_warnings(record=True) as w:\n'
        '    warnings.simplefilter("always")\n'
        '    register_all_modules()\n'
        'print(DefaultScope.get_current_instance().scope_name, len(w))\n'
        'from mmxtkd.registry import MODELS, HOOKS\n'
        'print("InvertedProjector" in MODELS, "SpectralRankHook" in HOOKS)\n')
    assert out.split('\n')[:5] == ['None', 'None', 'mmxtkd', 'mmxtkd 1',
                                    'True True']


def test_config_package_registration_is_one_entry(tmp_path):
    """Importing mmxtkd adds 'mmxtkd' to mmengine's MODULE2PACKAGE and
    nothing else; a config outside the checkout inherits by package path."""
    import subprocess
    import sys
    code = ('from mmengine.config.utils import MODULE2PACKAGE as m\n'
            'before = dict(m)\n'
            'import mmxtkd\n'
            'added = {k: v for k, v in m.items() if before.get(k) != v}\n'
            'print(sorted(added.items()))\n')
    out = subprocess.run([sys.executable, '-c', code], capture_output=True,
                         text=True, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == \
        "[('mmxtkd', 'mmxtkd.config_package')]"
    (tmp_path / 'mine.py').write_text(
        "_base_ = 'mmxtkd::depth/mbv2_random-teacher_inverted.py'\n"
        "model = dict(projector=dict(type='mmxtkd.TraditionalProjector'))\n")
    from mmengine.config import Config

    import mmxtkd  # noqa: F401
    cfg = Config.fromfile(str(tmp_path / 'mine.py'))
    assert cfg.model.projector.type == 'mmxtkd.TraditionalProjector'
    assert cfg.model.teacher.init_seed == 0 and cfg.model.teacher.checkpoint \
        is None
