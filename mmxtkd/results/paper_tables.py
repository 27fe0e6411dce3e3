"""The paper's tables as the config READMEs show them, written from
``configs/<task>/paper_results.yml`` (the one source of the paper's
numbers).

A README holds each table between two markers::

    <!-- paper table S4 (...) -->
    | method | traditional config | d1 | ... |
    <!-- end of paper table S4 -->

and :func:`write_readme_tables` rewrites what lies between them; a table
whose markers are missing is an error naming it.
"""
import re
from typing import Dict, List

from .paper_results import format_paper_number, load_paper_tables, paper_value

WRITER = ('written from paper_results.yml by tools/analysis/'
          'collect_results.py --paper-only --write; do not edit')
BLOCK = re.compile(
    r'<!-- paper table (?P<name>\S+) \(.*?\) -->\n.*?'
    r'<!-- end of paper table (?P=name) -->', re.S)


def _metrics_shown(spec: dict, table: dict) -> List[str]:
    """The metrics the paper gives for any config of ``table``, in the
    order of ``spec['metrics']``."""
    given = {m for values in table.get('paper', {}).values() for m in values}
    return [m for m in spec['metrics'] if m in given]


def _numbers(table: dict, config: str, metrics: List[str]) -> List[str]:
    """The paper's ``metrics`` of ``config`` in ``table`` ('' where it
    gives none)."""
    values = table.get('paper', {}).get(config, {})
    return [format_paper_number(*paper_value(values.get(m)))
            for m in metrics]


def _name(config: str) -> str:
    return f'`{config}.py`' if config else ''


def paper_table_markdown(spec: dict, table: dict) -> str:
    """One table of a ``paper_results.yml`` with the paper's numbers only.

    A projection table (``rows`` of ``[label, traditional, inverted]``) has
    one line per row, the traditional config and its numbers, then the
    inverted one's, under ``row_label`` (default ``method``), and its
    baseline first; a ``configs`` table has one line per config. Only the
    metrics the paper gives for the table are columns."""
    metrics = _metrics_shown(spec, table)
    if 'configs' in table:
        head = ['config'] + metrics
        lines = [[_name(c)] + _numbers(table, c, metrics)
                 for c in table['configs']]
    else:
        head = ([table.get('row_label', 'method'), 'traditional config'] +
                metrics + ['inverted config'] + metrics)
        lines = []
        if table.get('baseline'):
            base = table['baseline']
            lines.append(['no teacher', _name(base)] +
                         _numbers(table, base, metrics) +
                         [''] * (len(metrics) + 1))
        for label, trad, inv in table['rows']:
            lines.append([label, _name(trad)] +
                         _numbers(table, trad, metrics) + [_name(inv)] +
                         _numbers(table, inv, metrics))
    rows = [head, ['---'] * len(head)] + lines
    return ''.join('| ' + ' | '.join(r) + ' |\n' for r in rows)


def tables_with_numbers(spec: dict) -> Dict[str, dict]:
    """The tables of a ``paper_results.yml`` that hold paper numbers (a
    table of our own configs, without any, is not the paper's)."""
    return {name: table for name, table in spec['tables'].items()
            if table.get('paper')}


def render_paper_tables(paper_file: str) -> str:
    """Every table with paper numbers of one ``paper_results.yml``, each
    under its title: what ``collect_results.py --paper-only`` prints."""
    spec = load_paper_tables(paper_file)
    return '\n'.join(
        f'### {name}: {table.get("title", name)}\n\n' +
        paper_table_markdown(spec, table)
        for name, table in tables_with_numbers(spec).items())


def write_readme_tables(paper_file: str, readme_text: str) -> str:
    """``readme_text`` with the block of every table of ``paper_file`` that
    has paper numbers rewritten from the file. A README without a table's
    block, or with a block of a table the file does not hold, is an error
    naming it."""
    spec = load_paper_tables(paper_file)
    tables = tables_with_numbers(spec)
    found = [m.group('name') for m in BLOCK.finditer(readme_text)]
    missing = sorted(set(tables) - set(found))
    unknown = sorted(set(found) - set(tables))
    if missing or unknown:
        raise ValueError(
            f'the README of {paper_file} needs one block per table with '
            f'paper numbers: missing {missing}, not in the file {unknown} '
            f'(a block is "<!-- paper table NAME ({WRITER}) -->" ... '
            '"<!-- end of paper table NAME -->")')

    def block(match: re.Match) -> str:
        name = match.group('name')
        return (f'<!-- paper table {name} ({WRITER}) -->\n' +
                paper_table_markdown(spec, tables[name]) +
                f'<!-- end of paper table {name} -->')

    return BLOCK.sub(block, readme_text)
