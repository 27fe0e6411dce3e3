"""REFILLED on Fashion-MNIST (docs/advanced/fashion_study.md): a WRN-16-2
teacher trained on classes 0-4, students on classes 5-9 from few images a
class, each seed: the student alone, REFILLED's stage 1 then stage 2 in both
published forms (the poster's and the code's teacher probabilities), and
the poster's comparison rows, the teacher's nearest class mean and a
linear probe of its features.

    python projects/fashion_study/refilled.py [--seeds 5] \\
        [--regimes 10:200 100:40] [--out work_dirs/fashion_refilled]
"""
import argparse
import os.path as osp
import shutil
import time
from dataclasses import asdict, dataclass, field
from typing import Dict, List

import numpy as np
import torch
from fashion_study import CONFIGS, FashionStudy, StudySettings, use_data_root
from mmengine.config import Config
from sklearn.linear_model import LogisticRegression

from mmxtkd.datasets.fashion_mnist import DEBIAN_FOLDER, FashionMNIST
from mmxtkd.models import FrozenTeacher
from mmxtkd.results.statistics import mean_std, paired_comparison
from mmxtkd.results.study_runs import (cut_schedule, remove_checkpoints,
                                       reused_record, save_record,
                                       train_quietly)

REFILLED = osp.join(CONFIGS, 'refilled')
CONFIG = dict(
    alone=osp.join(REFILLED, 'wrn-16-1_scratch5-9.py'),
    stage1=osp.join(REFILLED,
                    'wrn-16-1_wrn-16-2-fashion0-4-teacher_refilled-stage1.py'),
    stage2=osp.join(REFILLED,
                    'wrn-16-1_wrn-16-2-fashion0-4-teacher_refilled-stage2.py'))
TEACHER = osp.join(CONFIGS, 'wrn-16-2_fashion0-4.py')
#: the rows, in the poster's order
ROWS = ('alone', 'teacher_ncm', 'teacher_probe', 'refilled_poster',
        'refilled_code')


@dataclass
class RefilledSettings:
    seeds: int = 5
    #: images a class -> epochs of batch 25 (every stage)
    regimes: Dict[int, int] = field(
        default_factory=lambda: {10: 200, 100: 40})
    teacher_iters: int = 800
    out: str = 'work_dirs/fashion_refilled'
    data_root: str = DEBIAN_FOLDER
    extra: Dict = field(default_factory=dict)


class RefilledStudy:

    def __init__(self, settings: RefilledSettings, log=print) -> None:
        self.settings, self.log = settings, log
        self.start = time.time()

    def teacher(self) -> dict:
        s = self.settings
        pretrained = FashionStudy(StudySettings(
            out=s.out, data_root=s.data_root, extra=s.extra), self.log)
        return pretrained.pretrained_model('teacher', TEACHER, s.teacher_iters)

    def train(self, stage: str, size: int, seed: int, folder: str,
              options: dict) -> dict:
        """One stage's run: its test accuracy and its checkpoint (kept
        for stage 1, which stage 2 starts from)."""
        s = self.settings
        settings = dict(stage=stage, size=size, seed=seed,
                        epochs=s.regimes[size], options=options,
                        extra=s.extra)
        path = osp.join(folder, 'result.json')
        result = reused_record(path, settings)
        if result is not None:
            return result
        cfg = Config.fromfile(CONFIG[stage.split('_')[0]])
        use_data_root(cfg, s.data_root)
        cut_schedule(cfg, s.regimes[size])
        cfg.randomness = dict(seed=seed)
        cfg.train_dataloader.dataset.update(per_class=size, seed=seed)
        cfg.merge_from_dict(dict(options, **s.extra))
        started = time.time()
        metrics = train_quietly(cfg, folder)[1]
        checkpoint = None
        if stage == 'stage1':
            checkpoint = osp.join(osp.dirname(folder), 'stage1.pth')
            with open(osp.join(folder, 'last_checkpoint')) as f:
                shutil.copyfile(f.read().strip(), checkpoint)
        remove_checkpoints(folder)
        result = dict(settings=settings, test=metrics['accuracy/top1'],
                      checkpoint=checkpoint, seconds=time.time() - started)
        save_record(path, result)
        self.log(f'{time.time() - self.start:6.0f} s  {size} a class, '
                 f'{stage} seed {seed}: {result["test"]:.2f}')
        return result

    def teacher_rows(self, size: int, seed: int, checkpoint: str
                     ) -> Dict[str, float]:
        """The teacher's nearest class mean and a logistic-regression probe
        of its pooled features, fitted on the run's labelled images."""
        s = self.settings
        student = Config.fromfile(CONFIG['alone']).model.student
        mean = torch.tensor(student.data_preprocessor.mean).view(1, -1, 1, 1)
        std = torch.tensor(student.data_preprocessor.std).view(1, -1, 1, 1)
        teacher = FrozenTeacher(TEACHER, checkpoint=checkpoint,
                                feature='student.backbone')

        def embed(dataset) -> tuple:
            infos = [dataset.get_data_info(i) for i in range(len(dataset))]
            images = torch.from_numpy(np.stack([i['img'] for i in infos]))
            x = (images[:, None].float() - mean) / std
            feats = torch.cat([teacher(x[i:i + 500]).mean((2, 3))
                               for i in range(0, len(x), 500)])
            return feats.numpy(), np.array([i['gt_label'] for i in infos])

        classes = (5, 6, 7, 8, 9)
        train_x, train_y = embed(FashionMNIST(s.data_root, 'train', classes,
                                              size, seed))
        test_x, test_y = embed(FashionMNIST(s.data_root, 'test', classes))
        return dict(
            teacher_ncm=nearest_class_mean(train_x, train_y, test_x, test_y),
            teacher_probe=linear_probe(train_x, train_y, test_x, test_y))

    def __call__(self) -> dict:
        s = self.settings
        teacher = self.teacher()
        checkpoint = teacher['checkpoint']
        with_teacher = {'model.teacher.checkpoint': checkpoint}
        rows = {size: {row: [] for row in ROWS} for size in s.regimes}
        for size in s.regimes:
            for seed in range(s.seeds):
                root = osp.join(s.out, 'runs', f'{size}', f'seed{seed}')
                table = rows[size]
                table['alone'].append(self.train(
                    'alone', size, seed, osp.join(root, 'alone'), {})['test'])
                for row, value in self.teacher_rows(size, seed,
                                                    checkpoint).items():
                    table[row].append(value)
                stage1 = self.train('stage1', size, seed,
                                    osp.join(root, 'stage1'), with_teacher)
                for form in ('poster', 'code'):
                    table[f'refilled_{form}'].append(self.train(
                        f'stage2_{form}', size, seed,
                        osp.join(root, f'stage2_{form}'),
                        dict(with_teacher, **{
                            'model.student.init_cfg.checkpoint':
                            stage1['checkpoint'],
                            'model.distill_losses.local.'
                            'teacher_probabilities': form}))['test'])
        study = dict(settings=asdict(s), teacher=teacher['metrics'],
                     seconds=time.time() - self.start,
                     regimes={size: summarise(table)
                              for size, table in rows.items()})
        save_record(osp.join(s.out, 'refilled.json'), study)
        with open(osp.join(s.out, 'refilled.md'), 'w') as f:
            f.write(markdown(study))
        return study


def nearest_class_mean(train_x: np.ndarray, train_y: np.ndarray,
                       test_x: np.ndarray, test_y: np.ndarray) -> float:
    """Top-1 (%) of the nearest class mean (Euclidean) of features
    (N, D) with labels 0 .. K-1."""
    centres = np.stack([train_x[train_y == c].mean(0)
                        for c in range(int(train_y.max()) + 1)])
    distances = ((test_x[:, None] - centres[None])**2).sum(-1)
    return 100 * float((distances.argmin(1) == test_y).mean())


def linear_probe(train_x: np.ndarray, train_y: np.ndarray,
                 test_x: np.ndarray, test_y: np.ndarray) -> float:
    """Top-1 (%) of a logistic regression on features scaled by their
    training standard deviation."""
    scale = train_x.std(0) + 1e-6
    probe = LogisticRegression(max_iter=2000).fit(train_x / scale, train_y)
    return 100 * float(probe.score(test_x / scale, test_y))


def summarise(table: Dict[str, List[float]]) -> dict:
    rows = {row: dict(values=v, mean=mean_std(v)[0], std=mean_std(v)[1])
            for row, v in table.items()}
    compared = {f'{row} − alone': paired_comparison(table['alone'],
                                                   table[row])
                for row in ROWS[1:]}
    compared['refilled_code − refilled_poster'] = paired_comparison(
        table['refilled_poster'], table['refilled_code'])
    return dict(rows=rows, comparisons=compared)


def markdown(study: dict) -> str:
    lines = ['# REFILLED on Fashion-MNIST', '',
             f'Teacher (WRN-16-2, classes 0-4): {study["teacher"]}.']
    for size, regime in study['regimes'].items():
        epochs = study['settings']['regimes'][size]
        lines += ['', f'## {size} images a class ({epochs} epochs a stage)',
                  '', '| row | test top-1 (%), mean ± std |', '| --- | --- |']
        lines += [f'| {row} | {r["mean"]:.2f} ± {r["std"]:.2f} |'
                  for row, r in regime['rows'].items()]
        lines += ['', '| paired difference | mean [95 % interval] |',
                  '| --- | --- |']
        for label, c in regime['comparisons'].items():
            bounds = (f'[{c["interval"][0]:+.2f}, {c["interval"][1]:+.2f}]'
                      if c['interval'] else '(one seed)')
            lines.append(f'| {label} | {c["mean"]:+.2f} {bounds} |')
    return '\n'.join(lines) + '\n'


def regime(text: str) -> tuple:
    size, epochs = text.split(':')
    return int(size), int(epochs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--seeds', type=int)
    parser.add_argument('--regimes', nargs='+', type=regime)
    parser.add_argument('--teacher-iters', type=int)
    parser.add_argument('--out')
    parser.add_argument('--data-root')
    args = parser.parse_args()
    given = dict(seeds=args.seeds, teacher_iters=args.teacher_iters,
                 regimes=dict(args.regimes) if args.regimes else None,
                 out=args.out, data_root=args.data_root)
    study = RefilledStudy(RefilledSettings(
        **{k: v for k, v in given.items() if v is not None}))()
    print(markdown(study))
    print(f'{study["seconds"]:.0f} s; runs in {study["settings"]["out"]}')


if __name__ == '__main__':
    main()
