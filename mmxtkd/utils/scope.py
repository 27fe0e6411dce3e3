"""Building a config of another OpenMMLab package inside its own scope."""
from typing import Optional, Tuple

from mmengine.registry import Registry


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
