"""mmxtkd and the packages it builds on: the OpenMMLab versions it works
with (:mod:`.versions`), its optional parts (:mod:`.extras`) and the shims
for today's Python stack (:mod:`.shims`)."""
from .extras import EXTRAS, extra_of, missing_extra, require_extra
from .shims import SHIMS, Shim, install_shims
from .versions import SUPPORTED, check_openmmlab_versions, installed_version

__all__ = [
    'EXTRAS', 'SHIMS', 'SUPPORTED', 'Shim', 'check_openmmlab_versions',
    'extra_of', 'install_shims', 'installed_version', 'missing_extra',
    'require_extra'
]
