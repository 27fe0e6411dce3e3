"""mmxtkd's registries: children of mmengine's roots under the scope 'mmxtkd',
and building a config of another OpenMMLab package inside its own scope.

A config whose default scope is another OpenMMLab package reaches these with a
``'mmxtkd.'`` prefix (``type='mmxtkd.InvertedProjector'``); ``locations`` make
the first look-up import the modules that register into them: the core
(``mmxtkd.models``) and each task's models, which import their OpenMMLab
package (mmseg, mmpretrain) and so are not imported by the core itself.
"""
from typing import Optional, Tuple

from mmengine.registry import DATASETS as MMENGINE_DATASETS
from mmengine.registry import HOOKS as MMENGINE_HOOKS
from mmengine.registry import METRICS as MMENGINE_METRICS
from mmengine.registry import MODELS as MMENGINE_MODELS
from mmengine.registry import PARAM_SCHEDULERS as MMENGINE_PARAM_SCHEDULERS
from mmengine.registry import TRANSFORMS as MMENGINE_TRANSFORMS
from mmengine.registry import Registry

MODELS = Registry(
    'model', parent=MMENGINE_MODELS, scope='mmxtkd',
    locations=['mmxtkd.models', 'mmxtkd.models.depth',
               'mmxtkd.models.classification'])
DATASETS = Registry(
    'dataset', parent=MMENGINE_DATASETS, scope='mmxtkd',
    locations=['mmxtkd.datasets'])
TRANSFORMS = Registry(
    'transform', parent=MMENGINE_TRANSFORMS, scope='mmxtkd',
    locations=['mmxtkd.datasets'])
METRICS = Registry(
    'metric', parent=MMENGINE_METRICS, scope='mmxtkd',
    locations=['mmxtkd.evaluation'])
HOOKS = Registry(
    'hook', parent=MMENGINE_HOOKS, scope='mmxtkd',
    locations=['mmxtkd.engine'])
PARAM_SCHEDULERS = Registry(
    'parameter scheduler', parent=MMENGINE_PARAM_SCHEDULERS, scope='mmxtkd',
    locations=['mmxtkd.engine'])


def split_scope(type_name: str) -> Tuple[Optional[str], str]:
    """``'mmseg.ResNetV1c'`` -> ``('mmseg', 'ResNetV1c')``; no prefix: None."""
    if '.' in type_name:
        scope, name = type_name.split('.', 1)
        return scope, name
    return None, type_name


def build_in_own_scope(registry: Registry, cfg: dict):
    """Build ``cfg`` so that its nested, unprefixed types resolve in its scope.

    mmengine builds nested configs in the *current* default scope, so a model
    of another package (``type='mmseg.DepthEstimator'`` with an unprefixed
    ``backbone=dict(type='ResNetV1c')``) fails to build from an mmxtkd config.
    A scope prefix on the outer type is turned into mmengine's ``_scope_`` key,
    which makes that scope current while the whole subtree is built.
    """
    cfg = dict(cfg)
    type_name = cfg.get('type')
    if isinstance(type_name, str) and '_scope_' not in cfg:
        scope, name = split_scope(type_name)
        if scope is not None:
            cfg.update(type=name, _scope_=scope)
    return registry.build(cfg)
