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
"""
import argparse
import glob
import os.path as osp

from mmxtkd.analysis.results import collect

PAPER_FILES = sorted(glob.glob(osp.join(
    osp.dirname(__file__), '..', '..', 'configs', '*', 'paper_results.yml')))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('work_dirs', nargs='+', metavar='WORK_DIR')
    parser.add_argument('--table', help="one table: NAME or TASK/NAME")
    parser.add_argument('--format', choices=['markdown', 'csv'],
                        default='markdown')
    parser.add_argument('--step', type=int,
                        help='the evaluation at this step (default: the last)')
    parser.add_argument('--paper', nargs='+', default=PAPER_FILES,
                        help='paper_results.yml files (default: configs/*/)')
    args = parser.parse_args(argv)
    print(collect(args.work_dirs, [osp.normpath(p) for p in args.paper],
                  args.table, args.format, args.step), end='')


if __name__ == '__main__':
    main()
