"""Cross-task knowledge distillation with an inverted projector.

Importing the package (directly or through a config's ``custom_imports``)
allow-lists the types of mmengine's own Runner checkpoints for torch's
``weights_only`` loading, so ``--resume`` and ``load_from`` work on
torch >= 2.6 without turning safe loading off (see
:mod:`mmxtkd.utils.checkpoint`), and
adds ``mmxtkd`` to the packages whose configs mmengine finds by package path
(``_base_ = 'mmxtkd::depth/...'``, see :mod:`mmxtkd.config_package`).
It sets no default scope and registers nothing else outside mmxtkd's
registries. An installed OpenMMLab package outside the supported versions
is an ImportError naming it, and the packages that today's numpy and
transformers break are patched while they are imported
(:mod:`mmxtkd.compatibility`). albumentations' check for a newer release over
the network at every import (a time-out on an offline node) is off for this
process and its workers, unless ``NO_ALBUMENTATIONS_UPDATE`` is set already.
"""
import os

from .compatibility import check_openmmlab_versions, install_shims

check_openmmlab_versions()
install_shims()
os.environ.setdefault('NO_ALBUMENTATIONS_UPDATE', '1')

from .config_package import register_config_package  # noqa: E402
from .utils.checkpoint import allow_mmengine_checkpoint_types  # noqa: E402
from .version import __version__, version_info  # noqa: E402

allow_mmengine_checkpoint_types()
register_config_package()

__all__ = ['__version__', 'version_info']
