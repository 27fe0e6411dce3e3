"""Print the paper's tables from the work dirs of finished runs.

    python tools/analysis/collect_results.py WORK_DIR [WORK_DIR ...] \
        [--table NAME] [--format markdown|csv] [--step N] [--paper FILE ...]

Each WORK_DIR is a run of ``tools/train.py`` or a folder of runs (e.g.
``work_dirs/``, or ``work_dirs/<task>/<config>/`` of
``tools/dist_seeds.sh``). A run's metrics are its last evaluation in
mmengine's ``scalars.json`` (or the one at ``--step``); runs of one
config on one data root are averaged over seeds (mean ± sample std, n).
Every table of ``configs/*/paper_results.yml`` (or of ``--paper``) that
holds a run is printed in the paper's layout, each
metric beside the paper's number: for the projection tables (paper table 1),
per method the traditional and inverted rows and the *Improvement* %.
``--table`` prints one table (``S7`` or ``depth/S7``) even without runs.

    python tools/analysis/collect_results.py --paper-only [--write]

prints the paper's numbers alone, in the layout of the config READMEs;
``--write`` rewrites, from each ``configs/<task>/paper_results.yml`` (the
one source of the paper's numbers), the paper tables of the README.md and
the metafile.yml beside it.
"""
import argparse
import glob
import os.path as osp

from mmxtkd.results.metafiles import render_metafile
from mmxtkd.results.paper_tables import (render_paper_tables,
                                         write_readme_tables)
from mmxtkd.results.tables import collect

PAPER_FILES = sorted(glob.glob(osp.join(
    osp.dirname(__file__), '..', '..', 'configs', '*', 'paper_results.yml')))


def write_from(paper_file: str) -> None:
    """Rewrite the README.md's paper tables and the metafile.yml beside
    ``paper_file`` from it."""
    folder = osp.dirname(paper_file)
    readme = osp.join(folder, 'README.md')
    with open(readme, encoding='utf-8') as f:
        text = f.read()
    for path, new in ((readme, write_readme_tables(paper_file, text)),
                      (osp.join(folder, 'metafile.yml'),
                       render_metafile(paper_file))):
        old = None
        if osp.exists(path):
            with open(path, encoding='utf-8') as f:
                old = f.read()
        if new != old:
            with open(path, 'w', encoding='utf-8') as f:
                f.write(new)
        print(f"{path}: {'rewritten' if new != old else 'unchanged'}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('work_dirs', nargs='*', metavar='WORK_DIR')
    parser.add_argument('--table', help="one table: NAME or TASK/NAME")
    parser.add_argument('--format', choices=['markdown', 'csv'],
                        default='markdown')
    parser.add_argument('--step', type=int,
                        help='the evaluation at this step (default: the last)')
    parser.add_argument('--paper', nargs='+', default=PAPER_FILES,
                        help='paper_results.yml files (default: configs/*/)')
    parser.add_argument('--paper-only', action='store_true',
                        help="the paper's numbers alone, as the READMEs show "
                        'them')
    parser.add_argument('--write', action='store_true',
                        help='with --paper-only: rewrite the README.md paper '
                        'tables and the metafile.yml beside each '
                        'paper_results.yml')
    args = parser.parse_args(argv)
    paper = [osp.normpath(p) for p in args.paper]
    if args.write and not args.paper_only:
        parser.error('--write needs --paper-only')
    if args.paper_only:
        for path in paper:
            if args.write:
                write_from(path)
            else:
                print(f'## {path}\n\n{render_paper_tables(path)}')
        return
    if not args.work_dirs:
        parser.error('give WORK_DIR(s), or --paper-only')
    print(collect(args.work_dirs, paper,
                  args.table, args.format, args.step), end='')


if __name__ == '__main__':
    main()
