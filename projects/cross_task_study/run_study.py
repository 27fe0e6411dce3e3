"""A cross-task study on the CPU: trained teachers of other tasks (and a
random one) x {traditional, inverted}, beside the baseline and the spectral
loss, over seeds, with the projectors' spectra and section 3.4's loss
decomposition measured in every run.

    python projects/cross_task_study/run_study.py [--quick] [--seeds 3] \\
        [--student depth|seg] [--iters 160] \\
        [--teachers seg depth nuisance random] \\
        [--out work_dirs/cross_task_study] [--data-root data/study] \\
        [--student-data data/nyu_depth_v2_synthetic] \\
        [--teacher-dir DIR] [--decay-ablation [TEACHER ...]]

``make study`` runs the full study of the depth student (at most an hour on 2
cores), ``make study-quick`` the quick one (one seed, 80 iterations, the seg
and random teachers; minutes), ``make study-seg`` the segmentation student
(``--student seg``: the seg demo's DeepLabV3-ResNet-18 for its 2 epochs, the
same teachers, from the depth study's cache). Writes to ``--out``: ``study.md``
and ``study.json`` (the tables: mean +- std per run kind, Improvement % of
inverted over traditional and the paired per-seed differences with their 95 %
interval per teacher, the projectors' final rank and smallest singular value,
the loss decomposition), ``spectrum_<teacher>.png`` (figure 3: each
projection's spectrum, with and without weight decay on the projector),
``teachers/`` and ``runs/`` (each reused by a later call with the same
settings). The study itself: ``study.py`` beside this file; its teachers'
configs: ``configs/``.
"""
import argparse

from mmengine.config import DictAction
from study import STUDENTS, TEACHERS, CrossTaskStudy, StudySettings, markdown

import mmxtkd  # noqa: F401  (mmxtkd:: configs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--quick', action='store_true',
                        help='one seed, 80 iterations, seg and random')
    parser.add_argument('--student', choices=sorted(STUDENTS),
                        default='depth')
    parser.add_argument('--seeds', type=int)
    parser.add_argument('--iters', type=int,
                        help="the student's schedule (epochs for seg)")
    parser.add_argument('--teachers', nargs='+', choices=sorted(TEACHERS))
    parser.add_argument('--teacher-epochs', type=int,
                        help='the segmentation teachers\' epochs')
    parser.add_argument('--teacher-iters', type=int,
                        help='the depth teacher\'s iterations')
    parser.add_argument('--decay-ablation', nargs='*',
                        choices=sorted(TEACHERS), metavar='TEACHER',
                        help='the teachers whose two projections also run '
                        'without weight decay on P (seed 0); none: skip')
    parser.add_argument('--scenes', type=int, nargs=3,
                        metavar=('TRAIN', 'TEST', 'FRAMES'),
                        help="the students' synthetic set, if written")
    parser.add_argument('--teacher-scenes', type=int, nargs=3,
                        metavar=('TRAIN', 'TEST', 'FRAMES'))
    parser.add_argument('--out')
    parser.add_argument('--teacher-dir',
                        help="the teachers' cache (default: <out>/teachers; "
                        "the seg student: the depth study's)")
    parser.add_argument('--data-root', help="the teachers' data sets")
    parser.add_argument('--student-data')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction,
                        help='merged into every training config')
    args = parser.parse_args()
    given = dict(seeds=args.seeds, iters=args.iters,
                 teachers=tuple(args.teachers) if args.teachers else None,
                 teacher_epochs=args.teacher_epochs,
                 teacher_iters=args.teacher_iters,
                 student_scenes=tuple(args.scenes) if args.scenes else None,
                 teacher_scenes=(tuple(args.teacher_scenes)
                                 if args.teacher_scenes else None),
                 out=args.out, teacher_dir=args.teacher_dir,
                 data_root=args.data_root,
                 student_data=args.student_data,
                 extra=dict(args.cfg_options or {}) or None)
    given = {k: v for k, v in given.items() if v is not None}
    if args.decay_ablation is not None:
        given['decay_ablation'] = tuple(args.decay_ablation)
    if args.student == 'seg':
        settings = StudySettings.seg(**given)
    else:
        settings = (StudySettings.quick(**given) if args.quick else
                    StudySettings(**given))
    study = CrossTaskStudy(settings)()
    print(markdown(study))
    print(f'{study["seconds"]:.0f} s; tables, spectra and runs in '
          f'{settings.out}')


if __name__ == '__main__':
    main()
