"""mmxtkd's version, as a string and as OpenMMLab packages compare it."""
from typing import Tuple, Union

__version__ = '0.1.0'


def parse_version_info(version: str) -> Tuple[Union[int, str], ...]:
    """``'1.2.3'`` -> ``(1, 2, 3)``; a pre-release part stays a string,
    ``'1.2.0rc1'`` -> ``(1, 2, 0, 'rc1')``."""
    parts = []
    for part in version.split('.'):
        digits = part[:len(part) - len(part.lstrip('0123456789'))]
        if not digits:
            raise ValueError(f'{version!r} is not a version (major.minor.'
                             'patch[rcN])')
        parts.append(int(digits))
        if digits != part:
            parts.append(part[len(digits):])
    return tuple(parts)


version_info = parse_version_info(__version__)
