"""The packages a wheelhouse needs, from pip's installation report.

    python tools/wheelhouse_closure.py REPORT.json \
        [--without torch torchvision]

REPORT.json is what ``pip install --dry-run --ignore-installed --report``
writes for the install's requirement files: every package pip resolved, with
its metadata. Printed, one ``name==version`` a line: the packages that the
requested ones need, following ``Requires-Dist`` from the requested ones
but not into the ``--without`` packages (the node's own torch, by default),
so that what only torch needs (its CUDA wheels, triton, sympy ...) is left
out and what others need too stays. Only the standard library is used: it
runs before anything is installed.
"""
import argparse
import json
import re
import sys
from typing import Dict, Iterable, List, Set


def canonical(name: str) -> str:
    """PEP 503's normalised project name."""
    return re.sub(r'[-_.]+', '-', name).lower()


def requirement_name(requirement: str) -> str:
    """The project name a ``Requires-Dist`` entry starts with."""
    return canonical(re.match(r'\s*([A-Za-z0-9][A-Za-z0-9._-]*)',
                              requirement).group(1))


def closure(report: dict, without: Iterable[str] = ()) -> List[str]:
    """``name==version`` of every package the report's requested packages
    need, not entering ``without``; sorted by name. An entry of
    ``Requires-Dist`` that pip did not resolve (an extra not asked for, a
    marker false here) is no edge."""
    skip = {canonical(n) for n in without}
    items: Dict[str, dict] = {
        canonical(i['metadata']['name']): i for i in report['install']}
    todo = [n for n, i in items.items() if i.get('requested') and
            n not in skip]
    needed: Set[str] = set()
    while todo:
        name = todo.pop()
        if name in needed:
            continue
        needed.add(name)
        for requirement in items[name]['metadata'].get('requires_dist') or []:
            dep = requirement_name(requirement)
            if dep in items and dep not in skip and dep not in needed:
                todo.append(dep)
    return sorted(f"{items[n]['metadata']['name']}=="
                  f"{items[n]['metadata']['version']}" for n in needed)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('report')
    parser.add_argument('--without', nargs='*', default=['torch',
                                                         'torchvision'])
    args = parser.parse_args(argv)
    with open(args.report) as f:
        report = json.load(f)
    sys.stdout.write(''.join(p + '\n' for p in closure(report,
                                                       args.without)))


if __name__ == '__main__':
    main()
