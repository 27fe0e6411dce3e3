"""Measure the task gap between a student and a teacher, and recommend a
projection (inverted or traditional).

    python tools/analysis/task_gap_probe.py STUDENT_CONFIG TEACHER_CONFIG \
        [--checkpoint STUDENT_CKPT] [--batches N] [--out result.json] \
        [--cfg-options key=value ...]

STUDENT_CONFIG is a training config of mmxtkd's ``CrossTaskDistiller``
(a baseline's or a distilled run's: only its student, data and
``student_feature`` are used); TEACHER_CONFIG is a config whose ``teacher``
(or ``model.teacher``) is a ``FrozenTeacher``, e.g.
``configs/_base_/teachers/vitb16_random.py``. On N batches of the student's
training data (its pipeline as configured, shuffled from seed 0), the student map
Z_s and the teacher map resized to its grid are read as (positions, channels)
matrices; both linear maps between them are fitted by ridge least squares,
fitted on the first half of the positions, and the explained variance on
the other half and numerical rank (0.01 sigma_1) of each, their linear CKA,
and the recommendation with its rule are printed. Use enough batches for
the positions to outnumber the channels.
"""
import argparse
import json

import torch
from mmengine.config import Config, DictAction
from mmengine.registry import DefaultScope
from mmengine.runner import Runner, load_checkpoint, set_random_seed

import mmxtkd  # noqa: F401  (mmxtkd:: configs, checkpoint types)
from mmxtkd.analysis import probe_task_gap
from mmxtkd.models.alignment import align_to_student
from mmxtkd.registry import MODELS
from mmxtkd.utils import build_in_own_scope


def collect(student_cfg: Config, teacher_cfg: dict, checkpoint,
            batches: int, seed: int):
    """(student rows (N, C_s), aligned teacher rows (N, C_t))."""
    model = build_in_own_scope(MODELS, student_cfg.model).eval()
    if checkpoint:
        load_checkpoint(model, checkpoint, map_location='cpu', strict=False)
    teacher = build_in_own_scope(MODELS, teacher_cfg)
    loader = Runner.build_dataloader(student_cfg.train_dataloader, seed=seed)
    rows_s, rows_t = [], []
    with torch.no_grad():
        for i, batch in enumerate(loader):
            if i == batches:
                break
            data = model.data_preprocessor(batch, False)
            z_s = model.student_feature(data['inputs'], data['data_samples'])
            z_t = align_to_student(teacher(data['inputs']), z_s)
            rows_s.append(z_s.permute(0, 2, 3, 1).flatten(0, 2))
            rows_t.append(z_t.permute(0, 2, 3, 1).flatten(0, 2))
    if not rows_s:
        raise ValueError('the student config\'s training data gave no batch')
    return torch.cat(rows_s), torch.cat(rows_t)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('student_config')
    parser.add_argument('teacher_config')
    parser.add_argument('--checkpoint', help="a trained student's checkpoint")
    parser.add_argument('--batches', type=int, default=32)
    parser.add_argument('--alpha', type=float, default=0.1,
                        help='ridge penalty, relative to the features\' scale')
    parser.add_argument('--seed', type=int, default=0,
                        help="seeds the student's initialisation (when no "
                        'checkpoint is given) and the data order')
    parser.add_argument('--out', help='write the result as JSON here')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction,
                        help='override settings of the student config')
    args = parser.parse_args()
    set_random_seed(args.seed)
    student_cfg = Config.fromfile(args.student_config)
    if args.cfg_options:
        student_cfg.merge_from_dict(args.cfg_options)
    teacher_file = Config.fromfile(args.teacher_config)
    teacher_cfg = teacher_file.get('teacher') or teacher_file.get(
        'model', {}).get('teacher')
    if teacher_cfg is None:
        raise SystemExit(f'{args.teacher_config} has no `teacher` (or '
                         '`model.teacher`) to probe')
    with DefaultScope.overwrite_default_scope(
            student_cfg.get('default_scope', 'mmxtkd')):
        student, teacher = collect(student_cfg, teacher_cfg, args.checkpoint,
                                   args.batches, args.seed)
    result = probe_task_gap(student, teacher, alpha=args.alpha)
    print(f'{len(student)} positions (fitted on the first '
          f'{result["fitted_on"]}, explained variance on the rest); student '
          f'{student.shape[1]} channels, teacher {teacher.shape[1]}')
    for name in ('teacher_to_student', 'student_to_teacher'):
        fit = result[name]
        print(f'{name.replace("_", " "):<20} explained variance '
              f'{fit["explained_variance"]:.3f}, rank {fit["rank"]} of '
              f'{min(fit["shape"])} (tol 0.01 sigma_1)')
    print(f'{"linear CKA":<20} {result["linear_cka"]:.3f}')
    print(f'{"recommendation":<20} {result["recommendation"]} '
          f'({result["rule"]})')
    if args.out:
        with open(args.out, 'w') as f:
            json.dump(result, f, indent=1)


if __name__ == '__main__':
    main()
