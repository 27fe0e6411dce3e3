"""mmxtkd's optional parts (``pip install 'mmxtkd[editing]'``): the import
errors that name the extra to install."""
from typing import Dict, Optional, Tuple

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
