"""Write docs/api.md: a table per mmxtkd registry of every class registered
in it, with the first sentence of its docstring, from the registries
themselves (after importing every mmxtkd module, the editing students
included).

    python tools/misc/write_api_docs.py [--check] [--out docs/api.md]

``--check`` writes nothing and exits 1 when the file differs from what it
would write (the test suite runs this check).
"""
import argparse
import importlib
import inspect
import os.path as osp
import re
import sys

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
#: the modules that register into mmxtkd's registries
MODULES = ('mmxtkd.datasets', 'mmxtkd.engine', 'mmxtkd.evaluation',
           'mmxtkd.models', 'mmxtkd.models.classification',
           'mmxtkd.models.depth', 'mmxtkd.models.editing',
           'mmxtkd.datasets.editing', 'mmxtkd.evaluation.editing')
#: the registries, in the order of the page
REGISTRIES = ('MODELS', 'DATASETS', 'TRANSFORMS', 'METRICS', 'HOOKS',
              'PARAM_SCHEDULERS')
HEADER = """\
# API reference

Every class registered in mmxtkd's registries, with the first sentence of
its docstring. From a config, name one as `type='mmxtkd.<Name>'` (any
`default_scope`), or unprefixed when the scope is `mmxtkd`. The student
wrappers of mmagic's GANs register when `mmxtkd.models.editing` is imported
(a config's `custom_imports`).

<!-- Written by tools/misc/write_api_docs.py from the registries; do not
edit (a test fails when it is stale). -->
"""


def summary(obj) -> str:
    """The first sentence of ``obj``'s docstring, on one line."""
    doc = inspect.getdoc(obj) or ''
    paragraph = ' '.join(doc.split('\n\n', 1)[0].split())
    # a sentence ends at a full stop before a capital, not after "Eq." or
    # "e.g." (abbreviations of the docstrings)
    ends = [m.end() for m in re.finditer(r'\.\s+(?=[A-Z`(])', paragraph)
            if not re.search(r'(Eq|e\.g|i\.e|al|cf)\.\s+$',
                             paragraph[:m.end()])]
    sentence = paragraph[:ends[0]].strip() if ends else paragraph
    return sentence.replace('|', '\\|')


def api_markdown() -> str:
    for module in MODULES:
        importlib.import_module(module)
    registry = importlib.import_module('mmxtkd.registry')
    parts = [HEADER]
    for name in REGISTRIES:
        entries = getattr(registry, name).module_dict
        parts.append(f'\n## {name}\n\n| name | module | summary |\n'
                     '|---|---|---|\n')
        for key in sorted(entries):
            obj = entries[key]
            if not obj.__module__.startswith('mmxtkd'):
                continue  # a project's module: documented by its project
            parts.append(f'| `{key}` | `{obj.__module__}` | '
                         f'{summary(obj)} |\n')
    return ''.join(parts)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--out', default=osp.join(ROOT, 'docs', 'api.md'))
    parser.add_argument('--check', action='store_true',
                        help='exit 1 if the file is stale; write nothing')
    args = parser.parse_args(argv)
    text = api_markdown()
    current = None
    if osp.exists(args.out):
        with open(args.out, encoding='utf-8') as f:
            current = f.read()
    if args.check:
        if current != text:
            print(f'{args.out} is stale: run python '
                  'tools/misc/write_api_docs.py')
            return 1
        print(f'{args.out} is up to date')
        return 0
    with open(args.out, 'w', encoding='utf-8') as f:
        f.write(text)
    print(f'{args.out} written')
    return 0


if __name__ == '__main__':
    sys.exit(main())
