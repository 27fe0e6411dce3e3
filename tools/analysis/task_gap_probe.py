"""Measure the task gap between a student and its teachers, and recommend a
projection (inverted or traditional) for each feature pair.

    python tools/analysis/task_gap_probe.py CONFIG [TEACHER_CONFIG] \
        [--checkpoint STUDENT_CKPT] [--batches N] [--out result.json] \
        [--cfg-options key=value ...]

CONFIG is a training config of mmxtkd's ``CrossTaskDistiller``. Without
TEACHER_CONFIG, each of its feature pairs is probed against its own teacher
(the one pair of a single-teacher config, labelled ``main``; or each of
``distill_pairs``, by name). With TEACHER_CONFIG, a config that defines one
``FrozenTeacher`` (a teacher base such as
``configs/_base_/teachers/random.py``, or a config's
``model.teacher``), that teacher is probed
against each pair's student map instead (a baseline's config has one, its
``student_feature``). On N batches of CONFIG's training data (its pipeline as
configured, shuffled from seed 0), the student map Z_s and the teacher map
resized to its grid are read as (positions, channels) matrices; both linear
maps between them are fitted by ridge least squares on the first half of
the positions, and the explained variance on the other half and numerical
rank (0.01 sigma_1) of each, their linear CKA, and the recommendation with
its rule are printed per pair. Use enough batches for the positions to
outnumber the channels. ``--out`` writes ``{pair: result}`` as JSON.
"""
import argparse
import json
from typing import Dict, Optional, Tuple

import torch
from mmengine.config import Config, DictAction
from mmengine.registry import DefaultScope
from mmengine.runner import Runner, load_checkpoint, set_random_seed

import mmxtkd  # noqa: F401  (mmxtkd:: configs, checkpoint types)
from mmxtkd.analysis import probe_task_gap
from mmxtkd.models.alignment import align_to_student
from mmxtkd.models.teachers import teacher_in_config
from mmxtkd.registry import MODELS, build_in_own_scope


def as_rows(feat: torch.Tensor) -> torch.Tensor:
    """A map (B, C, H, W) as (B*H*W, C) rows; an embedding (B, C) as is."""
    return feat if feat.dim() == 2 else feat.permute(0, 2, 3, 1).flatten(0, 2)


def collect(cfg: Config, teacher_cfg: Optional[dict], checkpoint,
            batches: int, seed: int
            ) -> Dict[str, Tuple[torch.Tensor, torch.Tensor]]:
    """``{pair label: (student rows (N, C_s), aligned teacher rows
    (N, C_t))}``."""
    model = build_in_own_scope(MODELS, cfg.model).eval()
    if checkpoint:
        load_checkpoint(model, checkpoint, map_location='cpu', strict=False)
    teacher = (build_in_own_scope(MODELS, teacher_cfg)
               if teacher_cfg is not None else None)
    loader = Runner.build_dataloader(cfg.train_dataloader, seed=seed)
    rows: Dict[str, Tuple[list, list]] = {}
    with torch.no_grad():
        for i, batch in enumerate(loader):
            if i == batches:
                break
            data = model.data_preprocessor(batch, False)
            inputs, samples = data['inputs'], data['data_samples']
            if teacher is None:
                pairs = model.feature_pairs(inputs, samples)
            else:
                z_t = teacher(inputs)
                pairs = {name: (z_s, align_to_student(z_t, z_s)) for name, z_s
                         in model.student_features(inputs, samples).items()}
            for name, (z_s, z_t) in pairs.items():
                if z_t is None:
                    continue  # a teacher-free pair
                rows.setdefault(name, ([], []))
                rows[name][0].append(as_rows(z_s))
                rows[name][1].append(as_rows(z_t))
    if not rows:
        raise ValueError("the config's training data gave no batch, or it "
                         'has no pair with a teacher: give TEACHER_CONFIG')
    return {label: (torch.cat(s), torch.cat(t))
            for label, (s, t) in rows.items()}


def report(label: str, student: torch.Tensor, teacher: torch.Tensor,
           result: dict) -> None:
    print(f'[{label}] {len(student)} positions (fitted on the first '
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('config')
    parser.add_argument('teacher_config', nargs='?',
                        help="probe this teacher instead of the config's own")
    parser.add_argument('--checkpoint', help="a trained student's checkpoint")
    parser.add_argument('--batches', type=int, default=32)
    parser.add_argument('--alpha', type=float, default=0.1,
                        help='ridge penalty, relative to the features\' scale')
    parser.add_argument('--seed', type=int, default=0,
                        help="seeds the student's initialisation (when no "
                        'checkpoint is given) and the data order')
    parser.add_argument('--out', help='write the results as JSON here')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction,
                        help='override settings of the config')
    args = parser.parse_args()
    set_random_seed(args.seed)
    cfg = Config.fromfile(args.config)
    if args.cfg_options:
        cfg.merge_from_dict(args.cfg_options)
    teacher_cfg = None
    if args.teacher_config:
        try:
            teacher_cfg = teacher_in_config(
                Config.fromfile(args.teacher_config))
        except ValueError as err:
            raise SystemExit(str(err)) from err
    elif not (cfg.model.get('teacher') or cfg.model.get('teachers')):
        raise SystemExit(f'{args.config} has no teacher of its own: give a '
                         'TEACHER_CONFIG to probe')
    with DefaultScope.overwrite_default_scope(
            cfg.get('default_scope', 'mmxtkd')):
        pairs = collect(cfg, teacher_cfg, args.checkpoint, args.batches,
                        args.seed)
    results = {}
    for label, (student, teacher) in pairs.items():
        results[label] = probe_task_gap(student, teacher, alpha=args.alpha)
        report(label, student, teacher, results[label])
    if args.out:
        with open(args.out, 'w') as f:
            json.dump(results, f, indent=1)


if __name__ == '__main__':
    main()
