"""The OpenMMLab versions mmxtkd works with, checked at import as
OpenMMLab packages check theirs (``requirements/mminstall.txt`` states the
same ranges for mim)."""
from importlib.metadata import PackageNotFoundError, version
from typing import Dict, Optional, Tuple

from packaging.version import Version

#: distribution -> [lowest, first excluded) version; mmengine is required,
#: the others are checked when installed (an import of a task's module
#: fails on its own when its package is missing)
SUPPORTED: Dict[str, Tuple[str, str]] = {
    'mmengine': ('0.10.0', '1.0.0'),
    'mmcv': ('2.0.0rc4', '2.2.0'),
    'mmsegmentation': ('1.2.0', '1.3.0'),
    'mmdet': ('3.3.0', '3.4.0'),
    'mmpretrain': ('1.2.0', '1.3.0'),
    'mmagic': ('1.2.0', '1.3.0'),
}


def installed_version(name: str) -> Optional[str]:
    try:
        return version(name)
    except PackageNotFoundError:
        return None


def check_openmmlab_versions(found=installed_version) -> None:
    """An ImportError naming each installed OpenMMLab package outside its
    supported range (and mmengine when missing), with the range and the
    tested pin's file."""
    wrong = []
    for name, (low, high) in SUPPORTED.items():
        got = found(name)
        if got is None:
            if name == 'mmengine':
                wrong.append(f'mmengine is not installed (need >={low}, '
                             f'<{high})')
            continue
        if not Version(low) <= Version(got) < Version(high):
            wrong.append(f'{name} {got} is installed, mmxtkd needs '
                         f'>={low}, <{high}')
    if wrong:
        raise ImportError('; '.join(wrong) + '. bash tools/install.sh '
                          'installs the tested versions '
                          '(requirements/openmmlab.txt).')
