"""mmxtkd's registries: children of mmengine's roots under the scope 'mmxtkd'.

A config whose default scope is another OpenMMLab package reaches these with a
``'mmxtkd.'`` prefix (``type='mmxtkd.InvertedProjector'``); ``locations`` make
the first look-up import the modules that register into them.
"""
from mmengine.registry import DATASETS as MMENGINE_DATASETS
from mmengine.registry import HOOKS as MMENGINE_HOOKS
from mmengine.registry import METRICS as MMENGINE_METRICS
from mmengine.registry import MODELS as MMENGINE_MODELS
from mmengine.registry import PARAM_SCHEDULERS as MMENGINE_PARAM_SCHEDULERS
from mmengine.registry import TRANSFORMS as MMENGINE_TRANSFORMS
from mmengine.registry import Registry

MODELS = Registry(
    'model', parent=MMENGINE_MODELS, scope='mmxtkd',
    locations=['mmxtkd.models'])
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
