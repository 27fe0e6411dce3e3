"""The pre-registered cross-task study on Fashion-MNIST
(docs/advanced/fashion_study.md): a student pretrained on classes 0-4 learns
classes 5-9 from few labelled images, alone, with a positive control
(dropout), with the spectral loss, and with each teacher through the
traditional and the inverted projection (FitNets, the same weight).

Each teacher and the source model are trained once and cached with the
settings they were trained with; each run writes ``result.json`` and is
reused while its settings stay the same.
"""
import hashlib
import json
import os.path as osp
import shutil
import sys
import time
from dataclasses import asdict, dataclass, field
from typing import Callable, Dict, List, Optional, Tuple

from mmengine.config import Config

from mmxtkd.datasets.fashion_mnist import DEBIAN_FOLDER
from mmxtkd.results.statistics import improvement, mean_std, paired_comparison
from mmxtkd.results.study_runs import (cut_schedule, last_spectrum,
                                       plot_run_spectra, remove_checkpoints,
                                       reused_record, save_record,
                                       test_on_training_images, train_quietly,
                                       training_metrics)

PROJECT = osp.dirname(osp.abspath(__file__))
sys.path.insert(0, osp.dirname(osp.dirname(PROJECT)))  # projects.<...>
import projects.fashion_study.modules  # noqa: E402,F401  (registers)

CONFIGS = osp.join(PROJECT, 'configs')
SOURCE = osp.join(CONFIGS, 'wrn-16-1_fashion0-4.py')


@dataclass(frozen=True)
class StudentTask:
    config: str
    metric: str  # what its validation reports, the study's primary metric
    size: str  # the data set's argument that sets a regime's labelled size
    unit: str  # that size's unit, for the tables


TASKS = {
    'classification': StudentTask(
        osp.join(CONFIGS, 'wrn-16-1_fashion5-9.py'), 'accuracy/top1',
        'per_class', 'images a class'),
    'segmentation': StudentTask(
        osp.join(CONFIGS, 'wrn-16-1-fcn_scenes5-9.py'), 'mIoU', 'scenes',
        'labelled scenes'),
}


@dataclass(frozen=True)
class TeacherSpec:
    config: str
    feature: str
    channels: int
    metric: str
    trained: bool = True
    description: str = ''
    #: the (mean, std) its inputs were normalised with, where it is not
    #: the student's (the denoiser sees images on the 0-1 scale)
    normalisation: Optional[Tuple[List[float], List[float]]] = None


TEACHERS: Dict[str, TeacherSpec] = {
    'random_wrn': TeacherSpec(
        'wrn-16-2_rotation.py', 'student.backbone', 128, 'accuracy/top1',
        trained=False, description='WRN-16-2, random (seed 0)'),
    'random_plain': TeacherSpec(
        'plain_denoise.py', 'backbone', 128, 'PSNR', trained=False,
        description='plain VGG-style encoder, random (seed 0)',
        normalisation=([0.0], [255.0])),
    'rotation': TeacherSpec(
        'wrn-16-2_rotation.py', 'student.backbone', 128, 'accuracy/top1',
        description='WRN-16-2 predicting the rotation (4 classes)'),
    'denoising': TeacherSpec(
        'plain_denoise.py', 'backbone', 128, 'PSNR',
        description='plain encoder-decoder removing noise',
        normalisation=([0.0], [255.0])),
    'same_task': TeacherSpec(
        'wrn-16-2_fashion5-9.py', 'student.backbone', 128, 'accuracy/top1',
        description='WRN-16-2 on classes 5-9, all labels (reference)'),
}
#: arms without a teacher: the student alone, the positive control, the
#: teacher-free spectral loss (eq. 6)
PLAIN_ARMS = ('baseline', 'dropout', 'spectral')
PROJECTIONS = ('traditional', 'inverted')


@dataclass
class StudySettings:
    """What the study runs (the pre-registered protocol's numbers)."""
    task: str = 'classification'
    seeds: int = 5
    #: labelled training images per target class -> iterations of batch 32
    regimes: Dict[int, int] = field(
        default_factory=lambda: {20: 150, 200: 400})
    teachers: Tuple[str, ...] = tuple(TEACHERS)
    plain_arms: Tuple[str, ...] = PLAIN_ARMS
    source_iters: int = 1000  # batch 128
    teacher_iters: int = 800  # batch 128
    spectral_rank: int = 8
    dropout: float = 0.3
    out: str = 'work_dirs/fashion_study'
    #: where the source model and the teachers are cached (<out>/pretrained)
    pretrained: Optional[str] = None
    data_root: str = DEBIAN_FOLDER
    extra: Dict = field(default_factory=dict)  # cfg overrides, tests only

    @classmethod
    def quick(cls, **kwargs) -> 'StudySettings':
        return cls(**dict(dict(seeds=1, regimes={20: 150},
                               teachers=('random_wrn', 'rotation'),
                               source_iters=300, teacher_iters=300,
                               out='work_dirs/fashion_study_quick'),
                          **kwargs))

    @classmethod
    def dense(cls, **kwargs) -> 'StudySettings':
        """The dense variant: the segmentation student on scenes, with the
        classification study's source model and teachers."""
        return cls(**dict(dict(task='segmentation', regimes={8: 200},
                               out='work_dirs/fashion_study_dense',
                               pretrained='work_dirs/fashion_study/'
                               'pretrained'), **kwargs))

    @classmethod
    def demo(cls, **kwargs) -> 'StudySettings':
        """``make demo-fashion``: one seed of the student alone and with
        the random WRN teacher through either projection."""
        return cls(**dict(dict(seeds=1, regimes={20: 150},
                               teachers=('random_wrn', ),
                               plain_arms=('baseline', ), source_iters=300,
                               out='work_dirs/demo_fashion'), **kwargs))

    def arms(self) -> List[str]:
        return list(self.plain_arms) + [f'{t}_{p}' for t in self.teachers
                                   for p in PROJECTIONS]


def settings_key(settings: dict) -> str:
    """Eight hex digits that differ between different settings."""
    text = json.dumps(settings, sort_keys=True, default=str)
    return hashlib.sha1(text.encode()).hexdigest()[:8]


def use_data_root(cfg: Config, root: str) -> None:
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        cfg[loader].update(num_workers=0, persistent_workers=False)
        cfg[loader].dataset.data_root = root


class FashionStudy:
    """Runs (or reuses) the study's source model, teachers and runs, and
    tabulates them."""

    def __init__(self, settings: StudySettings,
                 log: Callable[[str], None] = print) -> None:
        unknown = set(settings.teachers) - set(TEACHERS)
        if unknown:
            raise ValueError(f'unknown teachers {sorted(unknown)}; the '
                             f'study has {", ".join(TEACHERS)}')
        self.settings = settings
        self.log = log
        self.start = time.time()

    def _elapsed(self) -> str:
        return f'{time.time() - self.start:6.0f} s'

    # -- the source model and the teachers ----------------------------------
    def pretrained_model(self, name: str, config: str, length: int) -> dict:
        """Train ``config`` for ``length`` iterations with seed 0 into
        ``<pretrained>/<name>-<settings key>.pth`` unless one trained with
        the same settings is there; its record (checkpoint, validation
        metrics). The key keeps models of other settings (a test's, a
        quick study's) from replacing it while others use it."""
        s = self.settings
        settings = dict(config=osp.basename(config), iters=length,
                        data_root=s.data_root, extra=s.extra)
        folder = s.pretrained or osp.join(s.out, 'pretrained')
        name = f'{name}-{settings_key(settings)}'
        record_path = osp.join(folder, f'{name}.json')
        record = reused_record(record_path, settings)
        if record is not None:
            return record
        self.log(f'{self._elapsed()}  training {name} ({length} iterations)')
        cfg = Config.fromfile(config)
        use_data_root(cfg, s.data_root)
        cut_schedule(cfg, length)
        cfg.randomness = dict(seed=0)
        cfg.merge_from_dict(s.extra)
        work = osp.join(folder, f'{name}_run')
        started = time.time()
        metrics = train_quietly(cfg, work)[1]
        checkpoint = osp.join(folder, f'{name}.pth')
        with open(osp.join(work, 'last_checkpoint')) as f:
            shutil.copyfile(f.read().strip(), checkpoint)
        shutil.rmtree(work)
        record = dict(settings=settings, checkpoint=checkpoint,
                      metrics=metrics, seconds=time.time() - started)
        save_record(record_path, record)
        self.log(f'{self._elapsed()}  {name}: {metrics}')
        return record

    def source(self) -> dict:
        return self.pretrained_model('source', SOURCE,
                                     self.settings.source_iters)

    def teacher(self, name: str) -> dict:
        """The teacher's FrozenTeacher config and its own metric."""
        spec = TEACHERS[name]
        config = osp.join(CONFIGS, spec.config)
        frozen = dict(type='mmxtkd.FrozenTeacher', model=config,
                      feature=spec.feature, init_seed=0, checkpoint=None)
        if spec.normalisation:
            student = Config.fromfile(SOURCE).model.student
            frozen.update(mean=spec.normalisation[0],
                          std=spec.normalisation[1],
                          student_mean=student.data_preprocessor.mean,
                          student_std=student.data_preprocessor.std)
        if not spec.trained:
            return dict(frozen=frozen, metric=None)
        record = self.pretrained_model(name, config,
                                       self.settings.teacher_iters)
        return dict(frozen=dict(frozen, checkpoint=record['checkpoint']),
                    metric=record['metrics'].get(spec.metric))

    # -- runs -----------------------------------------------------------------
    def run_config(self, arm: str, size: int, seed: int,
                   source: str, teacher: Optional[dict]) -> Config:
        s = self.settings
        task = TASKS[s.task]
        cfg = Config.fromfile(task.config)
        use_data_root(cfg, s.data_root)
        cut_schedule(cfg, s.regimes[size])
        cfg.randomness = dict(seed=seed)
        cfg.train_dataloader.dataset.update({task.size: size,
                                             'seed': seed})
        test_on_training_images(cfg)
        cfg.model.student.backbone.init_cfg.checkpoint = source
        if arm == 'dropout':
            cfg.model.student.backbone.drop_rate = s.dropout
        elif arm == 'spectral':
            cfg.model.distill_losses = dict(spectral=dict(
                type='mmxtkd.SpectralRegLoss', rank=s.spectral_rank,
                reduction='rms'))
        elif teacher is not None:
            name, projection = arm.rsplit('_', 1)
            projector = ('InvertedProjector' if projection == 'inverted'
                         else 'TraditionalProjector')
            cfg.model.update(
                teacher=teacher,
                student_channels=64, teacher_channels=TEACHERS[name].channels,
                projector=dict(type=f'mmxtkd.{projector}'),
                distill_losses=dict(fitnets=dict(type='mmxtkd.FitNetsLoss')))
            length = s.regimes[size]
            cfg.custom_hooks = [dict(type='mmxtkd.SpectralRankHook',
                                     interval=max(1, length // 6),
                                     decomposition=True)]
        cfg.merge_from_dict(s.extra)
        return cfg

    def run(self, arm: str, size: int, seed: int, source: str,
            teachers: Dict[str, dict]) -> dict:
        s = self.settings
        name = arm.rsplit('_', 1)[0]
        teacher = teachers[name]['frozen'] if name in teachers else None
        settings = dict(task=s.task, arm=arm, size=size, seed=seed,
                        iters=s.regimes[size], source=source,
                        teacher=teacher, spectral_rank=s.spectral_rank,
                        dropout=s.dropout, extra=s.extra)
        folder = osp.join(s.out, 'runs', f'{size}', arm, f'seed{seed}')
        path = osp.join(folder, 'result.json')
        result = reused_record(path, settings)
        if result is not None:
            return result
        cfg = self.run_config(arm, size, seed, source, teacher)
        started = time.time()
        runner, metrics = train_quietly(cfg, folder)
        train_metrics = training_metrics(runner)
        metric = TASKS[s.task].metric
        test, train = metrics[metric], train_metrics[metric]
        result = dict(settings=settings,
                      metrics=dict(test=test, train=train, gap=train - test),
                      seconds=time.time() - started,
                      spectrum=last_spectrum(folder))
        remove_checkpoints(folder)
        save_record(path, result)
        self.log(f'{self._elapsed()}  {size} {arm} seed {seed}: '
                 f'test {test:.2f}, train {train:.2f} '
                 f'({result["seconds"]:.0f} s)')
        return result

    # -- everything -----------------------------------------------------------
    def __call__(self) -> dict:
        s = self.settings
        source = self.source()
        teachers = {t: self.teacher(t) for t in s.teachers}
        runs = {size: {arm: [self.run(arm, size, seed,
                                           source['checkpoint'], teachers)
                                  for seed in range(s.seeds)]
                            for arm in s.arms()}
                for size in s.regimes}
        study = summarise(runs, source, teachers, s)
        study['seconds'] = time.time() - self.start
        save_record(osp.join(s.out, 'study.json'), study)
        with open(osp.join(s.out, 'study.md'), 'w') as f:
            f.write(markdown(study))
        for size in s.regimes:
            for t in s.teachers:
                plot_run_spectra(
                    {f'{t} {p}': osp.join(s.out, 'runs', f'{size}',
                                          f'{t}_{p}', 'seed0')
                     for p in PROJECTIONS},
                    osp.join(s.out, f'spectrum_{size}_{t}.png'))
        return study


# -- tables -------------------------------------------------------------------
METRICS = ('test', 'train', 'gap')
#: the pre-registered comparisons: (name, first arm, second arm pattern)
COMPARISONS = (('dropout − baseline', 'baseline', 'dropout'),
               ('spectral − baseline', 'baseline', 'spectral'))


def verdict(interval: Optional[Tuple[float, float]]) -> str:
    """The pre-registered rule on a paired difference's 95 % interval:
    above 0 supports, below 0 refutes, else inconclusive."""
    if interval is None:
        return 'inconclusive (one seed)'
    if interval[0] > 0:
        return 'supports'
    if interval[1] < 0:
        return 'refutes'
    return 'inconclusive'


def comparisons(teachers: Tuple[str, ...]) -> List[Tuple[str, str, str]]:
    pairs = list(COMPARISONS)
    for t in teachers:
        pairs += [(f'{t}: inverted − traditional', f'{t}_traditional',
                   f'{t}_inverted'),
                  (f'{t}: inverted − baseline', 'baseline', f'{t}_inverted'),
                  (f'{t}: traditional − baseline', 'baseline',
                   f'{t}_traditional')]
    return pairs


#: cross-task teachers (C1, C2); same_task is the reference
CROSS_TASK = ('random_wrn', 'random_plain', 'rotation', 'denoising')


def claims(study: dict) -> Dict[str, Dict[str, int]]:
    """The pre-registered claims' verdicts counted over regimes (and, for
    C1 and C2, the cross-task teachers): ``{claim: {verdict: count}}``."""
    counted: Dict[str, Dict[str, int]] = {}

    def count(claim: str, comparison: Optional[dict]) -> None:
        if comparison is not None:
            verdicts = counted.setdefault(claim, {})
            verdicts[comparison['verdict']] = verdicts.get(
                comparison['verdict'], 0) + 1

    for regime in study['regimes'].values():
        compared = regime['comparisons']
        count('control: dropout − baseline',
              compared.get('dropout − baseline'))
        count('C3: spectral − baseline', compared.get('spectral − baseline'))
        for t in CROSS_TASK:
            count('C1: inverted − traditional',
                  compared.get(f'{t}: inverted − traditional'))
            count('C2: inverted − baseline',
                  compared.get(f'{t}: inverted − baseline'))
    return counted


def claims_text(study: dict) -> List[str]:
    return [f'- {claim}: ' + ', '.join(f'{n} {verdict}'
                                       for verdict, n in sorted(v.items()))
            for claim, v in claims(study).items()]


def summarise(runs: Dict[int, Dict[str, List[dict]]], source: dict,
              teachers: Dict[str, dict], settings: StudySettings) -> dict:
    """Per regime and arm: each metric's seeds, mean and std, the
    projector's final rank and the decomposition; per regime, the
    pre-registered paired comparisons of the test metric with their
    95 % interval and verdict."""
    regimes = {}
    for size, arms in runs.items():
        kinds = {}
        for arm, results in arms.items():
            entry = {}
            for metric in METRICS:
                values = [r['metrics'][metric] for r in results]
                mean, std = mean_std(values)
                entry[metric] = dict(values=values, mean=mean, std=std)
            spectra = [r['spectrum'] for r in results if r['spectrum']]
            if spectra:
                entry['rank'] = mean_std([sp['rank'] for sp in spectra])[0]
                entry['of'] = spectra[0]['of']
                terms = [sp['decomposition'] for sp in spectra
                         if sp['decomposition']]
                if terms:
                    entry['decomposition'] = {
                        k: mean_std([t[k] for t in terms])[0]
                        for k in ('rank', 'loss', 'transfer',
                                  'regularisation', 'teacher_tail')}
            kinds[arm] = entry
        compared = {}
        for label, first, second in comparisons(settings.teachers):
            if first not in kinds or second not in kinds:
                continue
            paired = paired_comparison(kinds[first]['test']['values'],
                                       kinds[second]['test']['values'])
            compared[label] = dict(paired, verdict=verdict(
                paired['interval']))
        gains = {t: improvement(kinds[f'{t}_traditional']['test']['mean'],
                                kinds[f'{t}_inverted']['test']['mean'],
                                'higher')
                 for t in settings.teachers}
        regimes[size] = dict(arms=kinds, comparisons=compared,
                                  improvement=gains)
    return dict(settings=asdict(settings),
                source=source['metrics'],
                teacher_metrics={t: teachers[t]['metric'] for t in teachers},
                regimes=regimes)


def markdown(study: dict) -> str:
    """The study's tables."""
    s = study['settings']
    lines = [f'# Fashion-MNIST cross-task study, {s["task"]}: '
             f'{s["seeds"]} seed(s)', '',
             f'Source model (classes 0-4): {study["source"]}.', '',
             'Teachers on their own task: ' + ', '.join(
                 f'{t} {v:.4g}' if v is not None else f'{t} (untrained)'
                 for t, v in study['teacher_metrics'].items()) + '.']
    lines += ['', 'The pre-registered claims, verdicts counted over the '
              'regimes (C1, C2: and the cross-task teachers):', '']
    lines += claims_text(study)
    task = TASKS[s['task']]
    for size, regime in study['regimes'].items():
        iters = s['regimes'][size]
        lines += ['', f'## {size} {task.unit} ({iters} iterations)',
                  '', f'Mean ± std over seeds: {task.metric} (%) on the '
                  'test set of classes 5-9, on the run\'s own training '
                  'images, and their gap; the projector\'s final numerical '
                  'rank and the rank of the compared teacher-side map.', '',
                  '| arm | test | train | gap | rank of P | rank of Z_t P |',
                  '| --- | --- | --- | --- | --- | --- |']
        for arm, e in regime['arms'].items():
            cells = [f'{e[m]["mean"]:.2f} ± {e[m]["std"]:.2f}'
                     for m in METRICS]
            rank = f'{e["rank"]:.1f} of {e["of"]}' if 'rank' in e else ''
            d = e.get('decomposition')
            compared = f'{d["rank"]:.1f}' if d else ''
            lines.append(f'| {arm} | ' + ' | '.join(cells) +
                         f' | {rank} | {compared} |')
        lines += ['', f'Paired differences of the test {task.metric} '
                  '(points), their mean and 95 % interval (Student t), and '
                  'the pre-registered verdict.', '',
                  '| comparison | per seed | mean [95 % interval] | verdict |',
                  '| --- | --- | --- | --- |']
        for label, c in regime['comparisons'].items():
            bounds = (f'[{c["interval"][0]:+.2f}, {c["interval"][1]:+.2f}]'
                      if c['interval'] else '(one seed)')
            lines.append(f'| {label} | ' + ', '.join(
                f'{d:+.2f}' for d in c['differences']) +
                f' | {c["mean"]:+.2f} {bounds} | {c["verdict"]} |')
        lines += ['', 'Improvement of inverted over traditional (the '
                  f'paper\'s %, test {task.metric}): ' + ', '.join(
                      f'{t} {v:+.2f} %'
                      for t, v in regime['improvement'].items()) + '.']
        decomposed = {a: e['decomposition'] for a, e in
                      regime['arms'].items() if e.get('decomposition')}
        if decomposed:
            lines += ['', 'Section 3.4 at the last measurement (mean over '
                      'seeds): ||Zt_bar − Z_s||_F and its bound\'s terms.',
                      '', '| arm | loss | transfer | regularisation | '
                      'teacher tail |', '| --- | --- | --- | --- | --- |']
            lines += [f'| {a} | {d["loss"]:.3g} | {d["transfer"]:.3g} | '
                      f'{d["regularisation"]:.3g} | {d["teacher_tail"]:.3g} |'
                      for a, d in decomposed.items()]
    return '\n'.join(lines) + '\n'
