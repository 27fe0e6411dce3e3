"""The pre-registered Fashion-MNIST cross-task study
(docs/advanced/fashion_study.md): a WRN-16-1 pretrained on classes 0-4
learns classes 5-9 from few labelled images, alone, with dropout, with the
spectral loss and with five teachers x {traditional, inverted}, over paired
seeds.

    python projects/fashion_study/run_study.py [--quick] [--seeds 5] \\
        [--regimes 20:150 200:400] [--teachers ...] \\
        [--out work_dirs/fashion_study] [--data-root DIR]
    python projects/fashion_study/run_study.py --dense [...]

``make study-fashion`` runs the full study, ``make study-fashion-quick``
the quick one, ``make study-fashion-dense`` (``--dense``) the dense
variant: a segmentation student on scenes composed of the photographs, with
the same source model and teachers. ``make demo-fashion`` (``--demo``) runs
one seed of the student alone and with a random WRN teacher through either
projection, beside what the full study found.

Writes to ``--out``: ``study.md`` and ``study.json`` (the tables and the
verdicts), ``spectrum_<regime>_<teacher>.png`` (figure 3), ``runs/``, and
``pretrained/`` (the source model and the teachers; ``--pretrained``
elsewhere), each reused by a later call with the same settings. The data:
Fashion-MNIST's four idx files, from Debian's dataset-fashion-mnist by
default.
"""
import argparse
import json
import os.path as osp

from fashion_study import (PROJECT, TEACHERS, FashionStudy, StudySettings,
                           claims_text, markdown)
from mmengine.config import DictAction

#: the full study's tables as committed with its results
RESULTS = osp.join(osp.dirname(osp.dirname(PROJECT)), 'docs', 'advanced',
                   'fashion_study', 'study.json')


def regime(text: str) -> tuple:
    per_class, iters = text.split(':')
    return int(per_class), int(iters)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--quick', action='store_true',
                        help='one seed, 20 a class, two teachers')
    parser.add_argument('--demo', action='store_true',
                        help='one seed: baseline, traditional, inverted')
    parser.add_argument('--dense', action='store_true',
                        help='the segmentation student on scenes')
    parser.add_argument('--seeds', type=int)
    parser.add_argument('--regimes', nargs='+', type=regime,
                        metavar='PER_CLASS:ITERS')
    parser.add_argument('--teachers', nargs='+', choices=list(TEACHERS))
    parser.add_argument('--source-iters', type=int)
    parser.add_argument('--teacher-iters', type=int)
    parser.add_argument('--out')
    parser.add_argument('--pretrained',
                        help='where the source model and teachers are '
                        'cached (default: <out>/pretrained)')
    parser.add_argument('--data-root',
                        help="the folder of Fashion-MNIST's idx files")
    parser.add_argument('--cfg-options', nargs='+', action=DictAction,
                        help='merged into every training config')
    args = parser.parse_args()
    given = dict(seeds=args.seeds,
                 regimes=dict(args.regimes) if args.regimes else None,
                 teachers=tuple(args.teachers) if args.teachers else None,
                 source_iters=args.source_iters,
                 teacher_iters=args.teacher_iters, out=args.out,
                 pretrained=args.pretrained,
                 data_root=args.data_root,
                 extra=dict(args.cfg_options or {}) or None)
    given = {k: v for k, v in given.items() if v is not None}
    if args.dense:
        given.update(task='segmentation')
    settings = (StudySettings.quick(**given) if args.quick else
                StudySettings.demo(**given) if args.demo else
                StudySettings.dense(**given) if args.dense else
                StudySettings(**given))
    study = FashionStudy(settings)()
    if args.demo:
        print_demo(study)
    else:
        print(markdown(study))
    print(f'{study["seconds"]:.0f} s; tables, spectra and runs in '
          f'{settings.out}')


def print_demo(study: dict) -> None:
    """The demo's runs side by side, and the full study's verdicts."""
    for per_class, regime in study['regimes'].items():
        print(f'\nFashion-MNIST classes 5-9 from {per_class} images a class, '
              'one seed (top-1 %: test, own training images, gap)')
        for arm, entry in regime['arms'].items():
            print(f'  {arm:<26}' + ''.join(
                f'{m} {entry[m]["mean"]:6.2f}   '
                for m in ('test', 'train', 'gap')))
    print('\nOne seed is no result. The full pre-registered study '
          '(docs/advanced/fashion_study.md, make study-fashion):')
    if osp.isfile(RESULTS):
        with open(RESULTS) as f:
            print('\n'.join(claims_text(json.load(f))))
    else:
        print(f'  not run yet ({RESULTS} is missing)')


if __name__ == '__main__':
    main()
