"""The package's layout rules, read from its imports: the core imports no
task package, and no module imports one that imports it back."""
import ast
import os
import os.path as osp
import subprocess
import sys
from typing import Dict, Set

from conftest import REPO

PACKAGE = osp.join(REPO, 'mmxtkd')
#: the core: teachers, projectors, losses, the container, the distiller
CORE = ('mmxtkd.models', 'mmxtkd.models.projectors', 'mmxtkd.models.losses',
        'mmxtkd.models.teachers', 'mmxtkd.models.distillation',
        'mmxtkd.models.distillers', 'mmxtkd.engine')
TASK_PACKAGES = ('mmseg', 'mmpretrain', 'mmagic', 'mmdet')


def module_files() -> Dict[str, str]:
    """``{dotted module name: file}`` of every module of the package (a
    package's name for its ``__init__.py``)."""
    modules = {}
    for folder, _, files in os.walk(PACKAGE):
        for name in files:
            if name.endswith('.py'):
                path = osp.join(folder, name)
                parts = osp.relpath(path, REPO)[:-3].split(os.sep)
                if parts[-1] == '__init__':
                    parts = parts[:-1]
                modules['.'.join(parts)] = path
    return modules


def imports_of(module: str, path: str, known: Set[str]) -> Set[str]:
    """The package's modules that ``module`` names in an import statement
    anywhere in it (a function's too): ``from a.b import c`` is ``a.b.c``
    when that is a module, else ``a.b``."""
    package = module if path.endswith('__init__.py') else \
        module.rsplit('.', 1)[0]
    found = set()
    for node in ast.walk(ast.parse(open(path).read(), path)):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name in known)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ''
            if node.level:
                anchor = package.split('.')
                anchor = anchor[:len(anchor) - node.level + 1]
                base = '.'.join(anchor + ([base] if base else []))
            for alias in node.names:
                name = f'{base}.{alias.name}'
                if name in known:
                    found.add(name)
                elif base in known:
                    found.add(base)
    return found - {module}


def test_no_module_imports_one_that_imports_it_back():
    files = module_files()
    graph = {m: imports_of(m, p, set(files)) for m, p in files.items()}

    def reaches(start: str, goal: str) -> bool:
        seen, todo = set(), [start]
        while todo:
            node = todo.pop()
            if node == goal:
                return True
            if node not in seen:
                seen.add(node)
                todo.extend(graph[node])
        return False

    circles = sorted(f'{m} -> {n} -> ... -> {m}' for m in graph
                     for n in graph[m] if reaches(n, m))
    assert not circles, '\n'.join(circles)


def test_the_reader_finds_a_circle():
    """The check above can fail: a made-up module pair that imports each
    other is found."""
    graph_src = {'a': 'import b\n', 'b': 'from a import x\n'}
    known = set(graph_src)
    assert imports_of('a', write(graph_src['a']), known) == {'b'}
    assert imports_of('b', write(graph_src['b']), known) == {'a'}


def write(text: str) -> str:
    import tempfile
    f = tempfile.NamedTemporaryFile('w', suffix='.py', delete=False)
    f.write(text)
    f.close()
    return f.name


def test_the_core_imports_no_task_package():
    code = ('import sys\n'
            f'import {", ".join(CORE)}\n'
            f'print([p for p in {TASK_PACKAGES!r} if p in sys.modules])\n')
    out = subprocess.run([sys.executable, '-c', code], cwd=REPO, text=True,
                         capture_output=True, check=True).stdout
    assert out.strip().splitlines()[-1] == '[]'
