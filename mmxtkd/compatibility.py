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


#: the optional parts of mmxtkd: name -> (the package they need, what they are)
EXTRAS: Dict[str, Tuple[str, str]] = {
    'editing': ('mmagic', "the image-translation students, data sets and "
                "metrics (the colourisation and sat2map configs)"),
}


def missing_extra(extra: str, err: Exception) -> ImportError:
    """The ImportError that names the extra to install."""
    package, what = EXTRAS[extra]
    return ImportError(
        f'{what} need {package}, which is not importable ({err}). '
        f"Install mmxtkd's '{extra}' extra: pip install 'mmxtkd[{extra}]', "
        f'or bash tools/install.sh --{extra}.')


def require_extra(extra: str) -> None:
    """An ImportError naming the extra to install when the package an
    optional part of mmxtkd needs is missing (or fails to import)."""
    try:
        __import__(EXTRAS[extra][0])
    except ImportError as err:
        raise missing_extra(extra, err) from err


def extra_of(err: ImportError) -> Optional[str]:
    """The extra whose package ``err`` reports missing: Python's own
    ModuleNotFoundError, or mmengine's when a config inherits from the
    package's configs (``'mmagic::...'``: "mmagic is not installed")."""
    for extra, (package, _) in EXTRAS.items():
        if getattr(err, 'name', None) == package or \
                f'{package} is not installed' in str(err):
            return extra
    return None
