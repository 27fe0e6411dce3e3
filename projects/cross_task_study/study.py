"""A cross-task study that runs on a CPU: trained teachers of other tasks in
the synthetic world, every teacher x {traditional, inverted} against the
baseline and the spectral loss over seeds, and the paper's section-3
mechanism (projector spectra, the loss decomposition) measured in each run.

The synthetic rooms (:mod:`mmxtkd.datasets.synthetic_depth`) give depth,
surface classes and the texture each surface was drawn with. Two students
learn them, each the package's demo student on the demo's data (generator
seed 0): ``depth`` (MobileNetV2-0.5, ``make demo``) and ``seg`` (surface
segmentation, DeepLabV3-ResNet-18, ``make demo-seg``). The teachers,
trained on rooms the students never see (generator seed 1), all share a
ResNet-18 encoder:

- ``seg``: surface segmentation (``configs/dlv3-r18_surface-seg.py``);
- ``depth``: depth (``configs/r18_depth.py``);
- ``nuisance``: the texture of each pixel's surface, drawn independently
  of the geometry (``configs/dlv3-r18_texture-seg.py``);
- ``random``: the ``seg`` network randomly initialised (seed 0).

Each student's own task has a teacher (``depth`` for the depth student,
``seg`` for the seg student): the reference the others are read against.

Each teacher is trained once and cached with the settings it was trained
with; each run writes ``result.json`` and is reused while its settings stay
the same, so an interrupted study goes on where it stopped.
"""
import math
import os
import os.path as osp
import shutil
import time
from dataclasses import asdict, dataclass, field
from typing import Callable, Dict, List, Optional, Sequence, Tuple

from mmengine.config import Config

from mmxtkd.config_package import configs_folder
from mmxtkd.datasets import make_synthetic_ade, make_synthetic_nyu
from mmxtkd.results.statistics import (better_of, improvement, mean_std,
                                       paired_comparison)
from mmxtkd.results.study_runs import (cut_schedule, last_spectrum,
                                       plot_run_spectra, remove_checkpoints,
                                       reused_record, save_record,
                                       test_on_training_images, train_quietly,
                                       training_metrics)

#: the study's own configs (its teachers), beside this file
CONFIGS = osp.join(osp.dirname(osp.abspath(__file__)), 'configs')


@dataclass(frozen=True)
class StudentSpec:
    config: str  # the student alone, from the package's configs
    data: Callable  # writes its synthetic set (generator seed 0)
    metrics: Tuple[str, ...]  # its test metrics, the primary first
    names: Tuple[str, ...]  # their column names
    digits: int  # decimals in the tables
    unit: str  # of its schedule: 'iterations' or 'epochs'
    same_task: str  # the teacher of the student's own task


STUDENTS = {
    'depth': StudentSpec(
        osp.join(configs_folder(), 'depth', 'synthetic', 'mbv2_baseline.py'),
        make_synthetic_nyu, ('d1', 'abs_rel', 'rmse'), ('d1', 'AbsRel',
                                                        'RMS'),
        4, 'iterations', 'depth'),
    'seg': StudentSpec(
        osp.join(configs_folder(), 'seg', 'synthetic', 'dlv3-r18_baseline.py'),
        make_synthetic_ade, ('mIoU', 'aAcc', 'mAcc'), ('mIoU', 'aAcc',
                                                       'mAcc'), 2, 'epochs',
        'seg'),
}
#: the spectral arm: the student with eq. 6 (r = 2) on its map, as the depth
#: demo's configs/depth/synthetic/mbv2_spectral-r2.py
SPECTRAL_LOSS = dict(type='mmxtkd.SpectralRegLoss', rank=2, reduction='rms')


@dataclass(frozen=True)
class TeacherSpec:
    config: str
    data: str  # the teacher's data set: a key of TEACHER_DATA
    metric: str  # what its own validation reports
    trained: bool = True
    description: str = ''


#: teacher data sets: (maker, its arguments beyond the folder and sizes)
TEACHER_DATA: Dict[str, Tuple[Callable, dict]] = {
    'ade_surfaces': (make_synthetic_ade, dict(seed=1)),
    'ade_textures': (make_synthetic_ade, dict(seed=1, labels='textures')),
    'nyu': (make_synthetic_nyu, dict(seed=1)),
}
#: per data-set maker: (its test-split argument, a path its last split writes)
_SPLITS = {
    make_synthetic_nyu: ('test_scenes', 'nyudepthv2_test_files_with_gt.txt'),
    make_synthetic_ade: ('val_scenes', 'annotations/validation'),
}
TEACHERS = {
    'seg': TeacherSpec(osp.join(CONFIGS, 'dlv3-r18_surface-seg.py'),
                       'ade_surfaces', 'mIoU',
                       description='surface segmentation (5 classes)'),
    'depth': TeacherSpec(osp.join(CONFIGS, 'r18_depth.py'), 'nyu', 'd1',
                         description='depth'),
    'nuisance': TeacherSpec(osp.join(CONFIGS, 'dlv3-r18_texture-seg.py'),
                            'ade_textures', 'mIoU',
                            description='texture of each surface (3 '
                            'classes), independent of the geometry'),
    'random': TeacherSpec(osp.join(CONFIGS, 'dlv3-r18_surface-seg.py'),
                          'ade_surfaces', 'mIoU', trained=False,
                          description='the seg network, random (seed 0)'),
}


@dataclass
class StudySettings:
    """What the study runs; ``quick()`` and ``seg()`` change the budget and
    the student."""
    seeds: int = 3
    #: the student's schedule: iterations, or epochs where its config's loop
    #: is epoch-based (the seg student's)
    iters: int = 160
    teachers: Tuple[str, ...] = ('seg', 'depth', 'nuisance', 'random')
    teacher_epochs: int = 6  # the segmentation teachers' (60 iters each)
    teacher_iters: int = 320  # the depth teacher's
    decay_ablation: Tuple[str, ...] = ('seg', 'depth', 'nuisance', 'random')
    #: synthetic sets: (train scenes, test scenes, frames per scene)
    student_scenes: Tuple[int, int, int] = (40, 10, 10)
    teacher_scenes: Tuple[int, int, int] = (30, 8, 8)
    out: str = 'work_dirs/cross_task_study'
    data_root: str = 'data/study'
    student_data: str = 'data/nyu_depth_v2_synthetic'
    extra: Dict = field(default_factory=dict)  # cfg overrides, tests only
    student: str = 'depth'  # a key of STUDENTS
    teacher_dir: Optional[str] = None  # the teachers' cache: <out>/teachers

    @classmethod
    def quick(cls, **kwargs) -> 'StudySettings':
        return cls(**dict(dict(seeds=1, iters=80, teachers=('seg', 'random'),
                               teacher_epochs=2, teacher_iters=80,
                               decay_ablation=('random', ),
                               out='work_dirs/cross_task_study_quick'),
                          **kwargs))

    @classmethod
    def seg(cls, **kwargs) -> 'StudySettings':
        """The segmentation student on the seg demo's data and budget (2
        epochs, 120 iterations), with the depth study's teachers (its
        cache)."""
        return cls(**dict(dict(student='seg', iters=2,
                               student_scenes=(30, 8, 8),
                               out='work_dirs/cross_task_study_seg',
                               teacher_dir='work_dirs/cross_task_study/'
                               'teachers',
                               student_data='data/ade20k_synthetic'),
                          **kwargs))

    @property
    def student_spec(self) -> StudentSpec:
        return STUDENTS[self.student]

    @property
    def teachers_folder(self) -> str:
        return self.teacher_dir or osp.join(self.out, 'teachers')


def _data_root(cfg: Config, root: str) -> None:
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        cfg[loader].update(num_workers=0, persistent_workers=False)
        cfg[loader].dataset.data_root = root


# -- the study ---------------------------------------------------------------
class CrossTaskStudy:
    """Runs (or reuses) the study's teachers and runs, and tabulates them."""

    def __init__(self, settings: StudySettings,
                 log: Callable[[str], None] = print) -> None:
        unknown = set(settings.teachers) - set(TEACHERS)
        if unknown:
            raise ValueError(f'unknown teachers {sorted(unknown)}; the '
                             f'study has {", ".join(TEACHERS)}')
        if settings.student not in STUDENTS:
            raise ValueError(f'unknown student {settings.student!r}; the '
                             f'study has {", ".join(STUDENTS)}')
        self.settings = settings
        self.log = log
        self.start = time.time()

    def _elapsed(self) -> str:
        return f'{time.time() - self.start:6.0f} s'

    # -- data and teachers --------------------------------------------------
    def _ensure_data(self, root: str, maker: Callable, kwargs: dict,
                     scenes: Tuple[int, int, int]) -> None:
        """Write the synthetic set unless a finished one is there."""
        test_split, marker = _SPLITS[maker]
        if osp.exists(osp.join(root, marker)):
            return
        train, test, frames = scenes
        maker(root, train_scenes=train, frames_per_scene=frames,
              **{test_split: test}, **kwargs)
        self.log(f'{self._elapsed()}  wrote {root}')

    def teacher_data(self, name: str) -> str:
        key = TEACHERS[name].data
        root = osp.join(self.settings.data_root, key)
        maker, kwargs = TEACHER_DATA[key]
        self._ensure_data(root, maker, kwargs, self.settings.teacher_scenes)
        return root

    def teacher(self, name: str) -> dict:
        """The teacher's FrozenTeacher config, training it first unless a
        checkpoint trained with the same settings is cached; also its own
        validation metric."""
        spec = TEACHERS[name]
        frozen = dict(type='mmxtkd.FrozenTeacher',
                      model=spec.config,
                      feature='student.backbone', init_seed=0,
                      checkpoint=None)
        if not spec.trained:
            return dict(frozen=frozen, metric=None)
        s = self.settings
        cfg = Config.fromfile(spec.config)
        epochs = cfg.train_cfg.type == 'EpochBasedTrainLoop'
        length = s.teacher_epochs if epochs else s.teacher_iters
        settings = dict(config=osp.basename(spec.config), length=length,
                        data=TEACHER_DATA[spec.data][1],
                        scenes=list(s.teacher_scenes), extra=s.extra)
        folder = osp.join(s.teachers_folder, name)
        record_path = osp.join(folder, 'teacher.json')
        record = reused_record(record_path, settings)
        if record is None:
            data = self.teacher_data(name)
            self.log(f'{self._elapsed()}  training the {name} teacher '
                     f'({spec.description}, {length} '
                     f'{"epochs" if epochs else "iterations"})')
            _data_root(cfg, data)
            cut_schedule(cfg, length)
            cfg.randomness = dict(seed=0)
            cfg.merge_from_dict(s.extra)
            work = osp.join(folder, 'run')
            metrics = train_quietly(cfg, work)[1]
            with open(osp.join(work, 'last_checkpoint')) as f:
                checkpoint = osp.join(folder, 'teacher.pth')
                shutil.copyfile(f.read().strip(), checkpoint)
            shutil.rmtree(work)
            record = dict(settings=settings, checkpoint=checkpoint,
                          metric=metrics.get(spec.metric))
            save_record(record_path, record)
            self.log(f'{self._elapsed()}  {name} teacher: {spec.metric} '
                     f'{record["metric"]}')
        else:
            self.log(f'{self._elapsed()}  {name} teacher: reused '
                     f'{record["checkpoint"]}')
        return dict(frozen=dict(frozen, checkpoint=record['checkpoint']),
                    metric=record['metric'])

    # -- runs -----------------------------------------------------------------
    def variants(self) -> List[Tuple[str, Optional[str], Optional[str],
                                     bool]]:
        """(name, teacher, projection, projector weight decay) of every
        run kind."""
        s = self.settings
        kinds = [('baseline', None, None, True), ('spectral', None, None,
                                                  True)]
        kinds += [(f'{t}_{p}', t, p, True) for t in s.teachers
                  for p in ('traditional', 'inverted')]
        return kinds

    def decay_variants(self):
        return [(f'{t}_{p}_no-decay', t, p, False)
                for t in self.settings.decay_ablation
                if t in self.settings.teachers
                for p in ('traditional', 'inverted')]

    def run_config(self, teacher: Optional[dict], projection: Optional[str],
                   decay: bool, spectral: bool, seed: int) -> Config:
        s = self.settings
        student = s.student_spec
        cfg = Config.fromfile(student.config)
        _data_root(cfg, s.student_data)
        cut_schedule(cfg, s.iters)
        cfg.randomness = dict(seed=seed)
        test_on_training_images(cfg)
        if spectral:
            cfg.model.distill_losses = dict(spectral=SPECTRAL_LOSS)
        if teacher is not None:
            projector = ('InvertedProjector' if projection == 'inverted'
                         else 'TraditionalProjector')
            cfg.model.update(
                teacher=teacher, teacher_channels=512,
                projector=dict(type=f'mmxtkd.{projector}'),
                distill_losses=dict(fitnets=dict(type='mmxtkd.FitNetsLoss')))
            iters = s.iters
            if student.unit == 'epochs':
                frames = s.student_scenes[0] * s.student_scenes[2]
                iters *= math.ceil(frames / cfg.train_dataloader.batch_size)
            cfg.custom_hooks = [dict(type='mmxtkd.SpectralRankHook',
                                     interval=max(1, iters // 8),
                                     decomposition=True)]
            if not decay:
                cfg.optim_wrapper.paramwise_cfg = dict(
                    custom_keys={'projector': dict(decay_mult=0.0)})
        cfg.merge_from_dict(s.extra)
        return cfg

    def run(self, variant: Tuple, seed: int, teachers: Dict[str, dict]
            ) -> dict:
        name, teacher, projection, decay = variant
        s = self.settings
        frozen = teachers[teacher]['frozen'] if teacher else None
        settings = dict(variant=name, seed=seed, iters=s.iters,
                        teacher=frozen, scenes=list(s.student_scenes),
                        extra=s.extra)
        folder = osp.join(s.out, 'runs', name, f'seed{seed}')
        path = osp.join(folder, 'result.json')
        result = reused_record(path, settings)
        if result is not None:
            return result
        cfg = self.run_config(frozen, projection, decay,
                              name == 'spectral', seed)
        started = time.time()
        runner, metrics = train_quietly(cfg, folder)
        result = dict(settings=settings, metrics=metrics,
                      train_metrics=training_metrics(runner),
                      seconds=time.time() - started,
                      spectrum=last_spectrum(folder))
        remove_checkpoints(folder)
        save_record(path, result)
        primary = s.student_spec.metrics[0]
        self.log(f'{self._elapsed()}  {name} seed {seed}: {primary} '
                 f'{metrics.get(primary, float("nan")):.4f} '
                 f'({result["seconds"]:.0f} s)')
        return result

    # -- everything -----------------------------------------------------------
    def __call__(self) -> dict:
        s = self.settings
        os.makedirs(s.out, exist_ok=True)
        self._ensure_data(s.student_data, s.student_spec.data, dict(seed=0),
                          s.student_scenes)
        teachers = {t: self.teacher(t) for t in s.teachers}
        runs = {}
        for variant in self.variants():
            runs[variant[0]] = [self.run(variant, seed, teachers)
                                for seed in range(s.seeds)]
        for variant in self.decay_variants():
            runs[variant[0]] = [self.run(variant, 0, teachers)]
        study = summarise(runs, {t: teachers[t]['metric']
                                 for t in s.teachers}, s)
        study['seconds'] = time.time() - self.start
        save_record(osp.join(s.out, 'study.json'), study)
        with open(osp.join(s.out, 'study.md'), 'w') as f:
            f.write(markdown(study))
        plot_spectra(s.out, s.teachers)
        return study


# -- tables -------------------------------------------------------------------
def summarise(runs: Dict[str, List[dict]], teacher_metrics: Dict,
              settings: StudySettings) -> dict:
    """Per run kind: each metric's seeds, mean and std, and the projector's
    final rank, smallest singular value and loss decomposition; per
    teacher: Improvement % of inverted over traditional and the paired
    comparison of each metric."""
    metrics = settings.student_spec.metrics
    kinds = {}
    for name, results in runs.items():
        entry = dict(seeds=[r['settings']['seed'] for r in results])
        for metric in metrics:
            values = [r['metrics'][metric] for r in results]
            mean, std = mean_std(values)
            entry[metric] = dict(values=values, mean=mean, std=std)
        if all('train_metrics' in r for r in results):  # recorded since
            trained = [r['train_metrics'][metrics[0]] for r in results]
            mean, std = mean_std(trained)
            entry[f'train_{metrics[0]}'] = dict(values=trained, mean=mean,
                                                std=std)
        spectra = [r['spectrum'] for r in results if r['spectrum']]
        if spectra:
            entry['of'] = spectra[0]['of']
            for key in ('rank', 'sigma_min'):
                values = [sp[key] for sp in spectra]
                entry[key] = dict(values=values, mean=mean_std(values)[0])
            terms = [sp['decomposition'] for sp in spectra
                     if sp['decomposition']]
            if terms:
                entry['decomposition'] = {
                    k: mean_std([t[k] for t in terms])[0]
                    for k in ('rank', 'loss', 'transfer', 'regularisation',
                              'teacher_tail')}
        kinds[name] = entry
    comparisons = {}
    for teacher in settings.teachers:
        trad, inv = kinds[f'{teacher}_traditional'], kinds[
            f'{teacher}_inverted']
        comparisons[teacher] = {
            metric: dict(
                improvement=improvement(trad[metric]['mean'],
                                        inv[metric]['mean'],
                                        better_of(metric)),
                paired=paired_comparison(trad[metric]['values'],
                                         inv[metric]['values']))
            for metric in metrics}
    return dict(settings=asdict(settings), teacher_metrics=teacher_metrics,
                runs=kinds, comparisons=comparisons)


def _cell(entry: dict, metric: str, digits: int) -> str:
    m = entry[metric]
    return f'{m["mean"]:.{digits}f} ± {m["std"]:.{digits}f}'


def markdown(study: dict) -> str:
    """The study as Markdown tables, in the paper's form."""
    s, runs = study['settings'], study['runs']
    student = STUDENTS[s.get('student', 'depth')]  # earlier studies: depth
    metrics, names, digits = student.metrics, student.names, student.digits
    primary = metrics[0]
    better = ', '.join(f'{n} {better_of(m)} is better'
                       for m, n in zip(metrics, names))
    lines = [f'# Cross-task study, {s.get("student", "depth")} student: '
             f'{s["seeds"]} seed(s), {s["iters"]} {student.unit} each', '',
             'Mean ± std over seeds of the student\'s test metrics '
             f'({better}), and its {primary} on its own training images '
             '(unaugmented).', '',
             '| run | ' + ' | '.join(names) + f' | train {primary} | '
             'final rank of P | smallest singular value |',
             '| --- ' * (len(names) + 4) + '|']
    for name, entry in runs.items():
        rank = (f'{entry["rank"]["mean"]:.1f} of {entry["of"]}'
                if 'rank' in entry else '')
        sigma = (f'{entry["sigma_min"]["mean"]:.3g}' if 'sigma_min' in entry
                 else '')
        train = f'train_{primary}'
        fit = _cell(entry, train, digits) if train in entry else ''
        lines.append(f'| {name} | ' + ' | '.join(
            _cell(entry, m, digits) for m in metrics) +
            f' | {fit} | {rank} | {sigma} |')
    lines += ['', '## Inverted over traditional, per teacher', '',
              'Improvement: the paper\'s % change (positive: better). '
              'Paired: inverted − traditional per seed, their mean and 95 % '
              f'interval (Student t). The {student.same_task} teacher has the '
              'student\'s own task.', '',
              '| teacher (its own metric) | ' + ' | '.join(
                  f'{n} improvement' for n in names) +
              f' | paired Δ{primary} per seed | mean Δ{primary} [95 % '
              'interval] |', '| --- ' * (len(names) + 3) + '|']
    for teacher, comp in study['comparisons'].items():
        own = study['teacher_metrics'].get(teacher)
        label = teacher + (f' ({own:.3g})' if own is not None else
                           ' (untrained)')
        paired = comp[primary]['paired']
        interval = paired['interval']
        bounds = (f'[{interval[0]:+.{digits}f}, {interval[1]:+.{digits}f}]'
                  if interval else '(one seed)')
        lines.append(
            f'| {label} | ' + ' | '.join(
                f'{comp[m]["improvement"]:+.2f} %' for m in metrics) + ' | '
            + ', '.join(f'{d:+.{digits}f}' for d in paired['differences'])
            + f' | {paired["mean"]:+.{digits}f} {bounds} |')
    ablated = [n for n in runs if n.endswith('_no-decay')]
    if ablated:
        lines += ['', '## Weight decay on the projector (seed 0)', '',
                  'Figure 3\'s rank drop with the configs\' AdamW decay on '
                  'P and with none (decay_mult=0): final numerical rank '
                  '(0.01 sigma_1) and smallest singular value.', '',
                  '| run | rank, decay | rank, no decay | smallest sigma, '
                  'decay | smallest sigma, no decay |',
                  '| --- | --- | --- | --- | --- |']
        for name in ablated:
            kept, none = runs[name[:-len('_no-decay')]], runs[name]
            lines.append(
                f'| {name[:-len("_no-decay")]} | {kept["rank"]["values"][0]}'
                f' | {none["rank"]["values"][0]} | '
                f'{kept["sigma_min"]["values"][0]:.3g} | '
                f'{none["sigma_min"]["values"][0]:.3g} |')
    lines += ['', '## Section 3.4: the L2 loss decomposed at the last '
              'measurement', '',
              'Rank of the compared teacher-side map (Z_t P, or Z_t for the '
              'traditional projection), ||Zt_bar − Z_s||_F and its bound\'s '
              'terms (mmxtkd.analysis.decomposition), mean over seeds.', '',
              '| run | rank | loss | transfer | regularisation | teacher '
              'tail |', '| --- | --- | --- | --- | --- | --- |']
    for name, entry in runs.items():
        d = entry.get('decomposition')
        if d:
            lines.append(f'| {name} | {d["rank"]:.1f} | {d["loss"]:.3g} | '
                         f'{d["transfer"]:.3g} | {d["regularisation"]:.3g} '
                         f'| {d["teacher_tail"]:.3g} |')
    return '\n'.join(lines) + '\n'


def plot_spectra(out: str, teachers: Sequence[str]) -> List[str]:
    """Figure 3 per teacher (seed 0): the traditional and the inverted
    projector's spectra over training, and without weight decay on the
    projector where the study ran that."""
    written = []
    for teacher in teachers:
        runs = {f'{teacher} {suffix}':
                osp.join(out, 'runs', f'{teacher}_{suffix}', 'seed0')
                for suffix in ('traditional', 'inverted',
                               'traditional_no-decay', 'inverted_no-decay')}
        path = plot_run_spectra(runs, osp.join(out, f'spectrum_{teacher}.png'))
        if path:
            written.append(path)
    return written
