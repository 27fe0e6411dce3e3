"""What ``tools/install.sh --current-env`` / ``--target`` installs, from
pip's dry run in the environment being installed onto.

    python tools/install_plan.py REPORT.json --out LIST [--refuse-downgrades]

REPORT.json is what ``pip install --dry-run --report`` writes, run by the
environment's own interpreter (with the overlay folder on ``PYTHONPATH`` for
``--target``): only what the environment lacks, or has at a version outside
a declared range. Each planned package is compared with the version this
interpreter sees installed; the plan is printed (new, upgrade, downgrade),
``name==version`` a line goes to LIST (installed with ``--no-deps``: exactly
the plan, nothing else changes), and with ``--refuse-downgrades`` a planned
downgrade is an error naming the packages (exit status 3). Only the standard
library and pip's own vendored ``packaging`` are used: it runs before
anything is installed.
"""
import argparse
import importlib.metadata as metadata
import json
import sys
from typing import Callable, List, NamedTuple, Optional

from pip._vendor.packaging.version import Version


class Step(NamedTuple):
    name: str
    version: str
    installed: Optional[str]

    @property
    def kind(self) -> str:
        if self.installed is None:
            return 'new'
        if Version(self.version) < Version(self.installed):
            return 'downgrade'
        return 'upgrade' if Version(self.version) > Version(
            self.installed) else 'reinstall'

    def __str__(self) -> str:
        was = ('' if self.installed is None else
               f' (installed: {self.installed})')
        return f'{self.kind:9s} {self.name} {self.version}{was}'


def installed_version(name: str) -> Optional[str]:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def plan(report: dict,
         found: Callable[[str], Optional[str]] = installed_version
         ) -> List[Step]:
    """The report's packages against what is installed, sorted by name."""
    steps = [Step(i['metadata']['name'], i['metadata']['version'],
                  found(i['metadata']['name'])) for i in report['install']]
    return sorted(steps, key=lambda s: s.name.lower())


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('report')
    parser.add_argument('--out', required=True,
                        help='file for the name==version lines to install')
    parser.add_argument('--refuse-downgrades', action='store_true')
    args = parser.parse_args(argv)
    with open(args.report) as f:
        steps = plan(json.load(f))
    with open(args.out, 'w') as f:
        f.write(''.join(f'{s.name}=={s.version}\n' for s in steps))
    print(f'    {len(steps)} to install' + (':' if steps else
                                             ': the environment has all'))
    for step in steps:
        print(f'      {step}')
    down = [s for s in steps if s.kind == 'downgrade']
    if down and args.refuse_downgrades:
        print('\n[mmxtkd install] ERROR: this would downgrade '
              + ', '.join(f'{s.name} {s.installed} -> {s.version}'
                          for s in down)
              + ": a requirement of mmxtkd's (requirements/*.txt) excludes "
              'the installed version. Install into a fresh environment '
              '(bash tools/install.sh --venv DIR), or leave this one as it '
              'is with an overlay (--target DIR).', file=sys.stderr)
        return 3
    return 0


if __name__ == '__main__':
    sys.exit(main())
