"""The packages a wheelhouse needs, from pip's installation report.

    python tools/wheelhouse_closure.py REPORT.json \
        [--without torch torchvision]
    python tools/wheelhouse_closure.py --stub-site NODE_FREEZE.txt DIR
    python tools/wheelhouse_closure.py --missing NODE_FREEZE.txt LIST.txt

REPORT.json is what ``pip install --dry-run --ignore-installed --report``
writes for the install's requirement files: every package pip resolved, with
its metadata. Printed, one ``name==version`` a line: the packages that the
requested ones need, following ``Requires-Dist`` from the requested ones
but not into the ``--without`` packages (the node's own torch, by default),
so that what only torch needs (its CUDA wheels, triton, sympy ...) is left
out and what others need too stays.

For a node's own environment, from its package list (``pip inspect`` run
there, or ``pip list --format=freeze``): ``--stub-site`` writes a folder of
metadata-only distributions of those versions (with their dependencies from
``pip inspect``), so that pip's dry run with that folder as its only site
resolves what the node lacks and nothing else (from ``pip inspect``, also
what a planned package forces on the node's packages: a huggingface_hub
that the node's transformers cannot take brings an older transformers);
``--missing`` prints the lines of a requirement (or constraints) file whose
project the node lacks: the tested pins of what it lacks, what it has staying
at its version. Only the standard library is used: it runs before anything is
installed.
"""
import argparse
import json
import os
import re
import sys
from typing import Dict, Iterable, List, Set, Tuple


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


def requirement_lines(path: str) -> List[str]:
    """A requirement file's lines, comments and blank lines left out."""
    with open(path) as f:
        lines = (line.split('#', 1)[0].strip() for line in f)
        return [line for line in lines if line]


def installed_versions(listing: str) -> Dict[str, Tuple[str, str, list]]:
    """canonical name -> (name, version, requirements) of a node's package
    list: ``pip inspect``'s JSON (with each one's ``Requires-Dist``) or
    ``pip list --format=freeze`` (none; ``name @ url`` lines count as
    installed at 0)."""
    with open(listing) as f:
        text = f.read()
    found = {}
    if text.lstrip().startswith('{'):
        for item in json.loads(text)['installed']:
            meta = item['metadata']
            found[canonical(meta['name'])] = (
                meta['name'], meta['version'], meta.get('requires_dist', []))
        return found
    for line in requirement_lines(listing):
        if line.startswith('-'):
            continue
        name, _, version = line.partition('==')
        name = name.split('@')[0].strip()
        found[canonical(name)] = (name, version.strip() or '0', [])
    return found


def write_stub_site(freeze: str, folder: str) -> None:
    """A ``<name>-<version>.dist-info/METADATA`` for every installed
    project: what pip sees as installed, with the dependencies the list
    gives."""
    for name, version, requires in installed_versions(freeze).values():
        info = os.path.join(folder, '{}-{}.dist-info'.format(
            re.sub(r'[-_.]+', '_', name), version))
        os.makedirs(info, exist_ok=True)
        with open(os.path.join(info, 'METADATA'), 'w') as f:
            f.write(f'Metadata-Version: 2.1\nName: {name}\n'
                    f'Version: {version}\n' + ''.join(
                        f'Requires-Dist: {r}\n' for r in requires))


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('report', nargs='?')
    parser.add_argument('--without', nargs='*', default=['torch',
                                                         'torchvision'])
    parser.add_argument('--stub-site', nargs=2,
                        metavar=('NODE_FREEZE', 'DIR'))
    parser.add_argument('--missing', nargs=2, metavar=('NODE_FREEZE', 'LIST'))
    args = parser.parse_args(argv)
    if args.stub_site:
        write_stub_site(*args.stub_site)
        return
    if args.missing:
        have = installed_versions(args.missing[0])
        lines = [line for line in requirement_lines(args.missing[1])
                 if requirement_name(line) not in have]
    else:
        if args.report is None:
            parser.error('give the report (or --stub-site, --missing)')
        with open(args.report) as f:
            lines = closure(json.load(f), args.without)
    sys.stdout.write(''.join(line + '\n' for line in lines))


if __name__ == '__main__':
    main()
