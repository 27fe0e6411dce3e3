"""Read a config's text as data, never as code.

mmengine saves a run's config in each checkpoint as Python text
(``meta['cfg']``, ``Config.pretty_text``), and ``Config.fromstring`` would
execute it: a checkpoint, which passes torch's weights-only check, could
run code when it is resumed. Here the text is parsed (``ast.parse``
compiles nothing) and only assignments whose value is built from literals
and ``dict(key=...)`` calls, the form ``pretty_text`` writes, are
evaluated; anything else is left unread.
"""
import ast
from typing import Dict, Iterable


class NotLiteral(ValueError):
    """A value that is not made of literals and ``dict(...)`` calls."""


def literal_value(node: ast.AST) -> object:
    """The value of an expression of literals (numbers, strings, bytes,
    ``True``/``False``/``None``), lists, tuples, sets, dict displays,
    ``dict(key=value, ...)`` calls and signed numbers; anything else raises
    :class:`NotLiteral`."""
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        items = [literal_value(e) for e in node.elts]
        return {ast.List: list, ast.Tuple: tuple, ast.Set: set}[type(node)](
            items)
    if isinstance(node, ast.Dict) and None not in node.keys:
        return {literal_value(k): literal_value(v)
                for k, v in zip(node.keys, node.values)}
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
            and node.func.id == 'dict' and not node.args
            and all(k.arg is not None for k in node.keywords)):
        return {k.arg: literal_value(k.value) for k in node.keywords}
    if (isinstance(node, ast.UnaryOp) and isinstance(node.op,
                                                     (ast.USub, ast.UAdd))
            and isinstance(node.operand, ast.Constant)
            and isinstance(node.operand.value, (int, float, complex))):
        value = node.operand.value
        return -value if isinstance(node.op, ast.USub) else value
    raise NotLiteral(f'not a literal: {ast.dump(node)[:80]}')


def read_literal_assignments(text: str,
                             names: Iterable[str]) -> Dict[str, object]:
    """``{name: value}`` of the top-level ``name = <literal>`` assignments
    of the Python ``text`` for the wanted ``names``; a name assigned
    something else, or text that does not parse, is left out."""
    wanted = set(names)
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return {}
    found = {}
    for stmt in tree.body:
        if not (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1
                and isinstance(stmt.targets[0], ast.Name)
                and stmt.targets[0].id in wanted):
            continue
        name = stmt.targets[0].id
        try:
            found[name] = literal_value(stmt.value)
        except (NotLiteral, RecursionError, TypeError):
            found.pop(name, None)  # the last assignment wins, as in Python
    return found
