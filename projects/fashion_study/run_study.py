"""The pre-registered Fashion-MNIST cross-task study
(docs/advanced/fashion_study.md): a WRN-16-1 pretrained on classes 0-4
learns classes 5-9 from few labelled images, alone, with dropout, with the
spectral loss and with five teachers x {traditional, inverted}, over paired
seeds.

    python projects/fashion_study/run_study.py [--quick] [--seeds 5] \\
        [--regimes 20:150 200:400] [--teachers ...] \\
        [--out work_dirs/fashion_study] [--data-root DIR]

``make study-fashion`` runs the full study, ``make study-fashion-quick``
the quick one. Writes to ``--out``: ``study.md`` and ``study.json`` (the
tables and the verdicts), ``spectrum_<regime>_<teacher>.png`` (figure 3),
``pretrained/`` (the source model and the teachers) and ``runs/``, each
reused by a later call with the same settings. The data: Fashion-MNIST's
four idx files, from Debian's dataset-fashion-mnist by default.
"""
import argparse

from mmengine.config import DictAction
from study import TEACHERS, FashionStudy, StudySettings, markdown


def regime(text: str) -> tuple:
    per_class, iters = text.split(':')
    return int(per_class), int(iters)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--quick', action='store_true',
                        help='one seed, 20 a class, two teachers')
    parser.add_argument('--seeds', type=int)
    parser.add_argument('--regimes', nargs='+', type=regime,
                        metavar='PER_CLASS:ITERS')
    parser.add_argument('--teachers', nargs='+', choices=list(TEACHERS))
    parser.add_argument('--source-iters', type=int)
    parser.add_argument('--teacher-iters', type=int)
    parser.add_argument('--out')
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
                 data_root=args.data_root,
                 extra=dict(args.cfg_options or {}) or None)
    given = {k: v for k, v in given.items() if v is not None}
    settings = (StudySettings.quick(**given) if args.quick else
                StudySettings(**given))
    study = FashionStudy(settings)()
    print(markdown(study))
    print(f'{study["seconds"]:.0f} s; tables, spectra and runs in '
          f'{settings.out}')


if __name__ == '__main__':
    main()
