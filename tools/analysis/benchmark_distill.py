"""What distillation costs on top of the student (targets in brackets).

    python tools/analysis/benchmark_distill.py CONFIG [--batch 8] \\
        [--size 192 256] [--rounds 10] [--warmup 3] [--device cuda] \\
        [--amp [--amp-dtype auto|bfloat16|float16]] [--channels-last] \\
        [--teacher-options default bf16 native ...] [--min-cosine 0.999] \\
        [--images 'data/nyu/**/*.jpg'] [--out RECORD.json] \\
        [--cfg-options model.teacher.checkpoint=None ...]

CONFIG is a CrossTaskDistiller config (a teacher and a projector, or
several ``distill_pairs``). From it the script builds, on a batch of random
images (or ``--images``, resized) put through the student's data
preprocessor:

- student:   the plain student, loss + backward + AdamW step;
- teacher:   the frozen teachers' forwards alone (each once), as
             configured, under the step's precision;
- projector: the projectors and the distillation losses alone, forward and
             backward, on teacher maps already on the student's grid;
- distill:   the distiller as configured, loss + backward + step;
- spectral:  the same student, teacher-free, with SpectralRegLoss(rank=2)
             (eq. 6; ``--spectral-method`` picks how its subspace is found);
- distill[<pair> alone]: with several pairs, the distiller with that pair
             and its teacher only, so one run gives the cost of one pair
             against all (ratios ``distill/distill[<pair> alone]``).

Each teacher's forwards during one distill step are counted
(``teacher_forwards``): pairs that share a teacher share its one forward.

``--amp`` runs every step under autocast: bfloat16 where the device supports
it, else float16 with dynamic loss scaling (``--amp-dtype`` chooses).
``--channels-last`` puts the models and the inputs in that memory format.

For a single teacher, first the teacher options (``--teacher-options``;
FrozenTeacher's
``inference_mode``, ``channels_last``, ``autocast_dtype`` and ``input_size``;
see ``TEACHER_OPTIONS``) are timed round-robin, each forward alone in
float32 steps, and their maps compared with the default one: the cosine of
the channel vectors after both are resized to the student's grid. The
fastest option whose mean cosine is >= ``--min-cosine`` is then also timed
inside a distill step (``distill[OPTION]``), and ``teacher_fp32`` is the
default teacher outside any autocast.

The steps run round-robin (so drift of the machine hits them alike) after
``--warmup`` untimed rounds; medians and quartiles are printed, with the
ratios distill / (student + teacher) [<= 1.05], spectral / student [<= 1.03]
and distill[OPTION] / (student + teacher_fp32) [<= 0.8]. A last round
measures each step's peak memory over what was allocated before it (CUDA's
allocator statistics; on a CPU the resident set, sampled, with glibc told to
unmap freed blocks at once) and what it left allocated, and checks that a
distill step's peak is at most the sum of the student's, the teacher's and
the projector's: no teacher activation is kept for the backward pass. A JSON
record of everything goes to ``--out``.
"""
import argparse
import datetime
import glob
import json
import os
import os.path as osp
import platform
from contextlib import nullcontext
from typing import Callable, Dict, List, Optional

import cv2
import torch
from mmengine.config import Config, DictAction
from mmengine.registry import MODELS as ROOT_MODELS

import mmxtkd.models  # noqa: F401  (registers the components)
from mmxtkd.benchmarks.distillation import (TEACHER_OPTIONS, map_cosine,
                                            peak_memory_meter,
                                            return_freed_memory_at_once,
                                            round_robin, summary,
                                            teacher_options)
from mmxtkd.models.distillation import without_distillation
from mmxtkd.models.teachers import FrozenTeacher
from mmxtkd.registry import MODELS, build_in_own_scope

MIB = 2**20


def fake_data_samples(student: torch.nn.Module, batch: int,
                      size: List[int]) -> List:
    """Ground truth of the right kind for the student's own loss."""
    module = type(student).__module__
    h, w = size
    if module.startswith('mmpretrain'):
        from mmpretrain.structures import DataSample
        return [DataSample().set_gt_label(i % 2) for i in range(batch)]
    if module.startswith('mmseg'):
        from mmengine.structures import PixelData
        from mmseg.structures import SegDataSample
        samples = []
        for _ in range(batch):
            s = SegDataSample()
            meta = dict(img_shape=(h, w), pad_shape=(h, w), ori_shape=(h, w))
            s.set_metainfo(meta)
            s.gt_depth_map = PixelData(data=torch.rand(1, h, w) * 9 + 0.5)
            s.gt_sem_seg = PixelData(
                data=torch.zeros(1, h, w, dtype=torch.long))
            samples.append(s)
        return samples
    raise NotImplementedError(f'no fake ground truth for {module} students')


def input_batch(student: torch.nn.Module, batch: int, size: List[int],
                pattern: Optional[str]) -> torch.Tensor:
    """``batch`` images (random, or the first files ``pattern`` matches,
    resized) through the student's own data preprocessor."""
    if pattern:
        files = sorted(glob.glob(pattern, recursive=True))[:batch]
        if len(files) < batch:
            raise SystemExit(f'--images {pattern!r} matches {len(files)} '
                             f'files; the batch needs {batch}')
        images = []
        for f in files:
            image = cv2.imread(f)
            if image is None:
                raise SystemExit(f'--images: cannot decode {f}')
            image = cv2.resize(image, (size[1], size[0]),
                               interpolation=cv2.INTER_LINEAR)
            images.append(torch.from_numpy(image).permute(2, 0, 1))
    else:
        gen = torch.Generator().manual_seed(0)
        images = [torch.randint(0, 256, (3, *size), generator=gen,
                                dtype=torch.uint8) for _ in range(batch)]
    return student.data_preprocessor(dict(inputs=images),
                                     training=False)['inputs']


def amp_dtype(args, device: torch.device) -> Optional[torch.dtype]:
    if not args.amp:
        return None
    if args.amp_dtype != 'auto':
        return getattr(torch, args.amp_dtype)
    bf16 = (torch.cuda.is_bf16_supported() if device.type == 'cuda' else True)
    return torch.bfloat16 if bf16 else torch.float16


def train_step(model, inputs, samples, precision) -> Callable[[], None]:
    params = [p for p in model.parameters() if p.requires_grad]
    optim = torch.optim.AdamW(params, lr=1e-4)
    scaler = (torch.amp.GradScaler(inputs.device.type)
              if precision == torch.float16 else None)

    def step():
        with autocast(inputs, precision):
            losses = model(inputs, samples, mode='loss')
        total = model.parse_losses(losses)[0]
        if scaler is None:
            total.backward()
            optim.step()
        else:
            scaler.scale(total).backward()
            scaler.step(optim)
            scaler.update()
        optim.zero_grad(set_to_none=True)
    return step


def autocast(inputs: torch.Tensor, precision: Optional[torch.dtype]):
    return (torch.autocast(inputs.device.type, dtype=precision)
            if precision else nullcontext())


def projector_step(distiller, inputs, precision):
    """Every pair's projector and losses alone, forward and backward, on
    random student maps of the right shapes and the teachers' maps already
    on their grids."""
    with torch.no_grad():
        shapes = {pair: z.shape for pair, z in
                  distiller.student_features(inputs).items()}
    student_maps = {pair: torch.randn(shape, device=inputs.device,
                                      requires_grad=True)
                    for pair, shape in shapes.items()}
    with torch.no_grad(), autocast(inputs, precision):
        teacher_maps = {pair: z_t.float() for pair, z_t in
                        distiller.distill.aligned_teacher_maps(
                            inputs, student_maps).items()}
    params = list(distiller.distill.parameters()) + list(
        student_maps.values())

    def step():
        with autocast(inputs, precision):
            terms = {}
            for name, pair in distiller.distill.named_pairs():
                terms.update(pair.terms(student_maps[name],
                                        teacher_maps.get(name)))
        sum(terms.values()).backward()
        for p in params:
            p.grad = None
    return step


def teacher_forwards(distiller, step: Callable[[], None]) -> Dict[str, int]:
    """How often each teacher of the distiller runs in one ``step``."""
    teachers = {name: t for name, t in distiller.named_modules()
                if isinstance(t, FrozenTeacher)}
    counts = dict.fromkeys(teachers, 0)
    handles = [t.register_forward_hook(
        lambda *_, name=name: counts.__setitem__(name, counts[name] + 1))
        for name, t in teachers.items()]
    try:
        step()
    finally:
        for handle in handles:
            handle.remove()
    return counts


def alone(cfg: dict, pair: str) -> dict:
    """A multi-pair distiller config with only ``pair`` and its teacher
    (returning only the map the pair takes)."""
    pair_cfg = cfg['distill_pairs'][pair]
    name = pair_cfg.get('teacher')
    teachers = {}
    if name:
        teacher = dict(cfg['teachers'][name])
        if pair_cfg.get('teacher_out_index') is not None:
            teacher['out_index'] = [pair_cfg['teacher_out_index']]
        teachers[name] = teacher
    return dict(cfg, distill_pairs={pair: pair_cfg}, teachers=teachers)


def native_size(teacher_cfg: dict, given: Optional[List[int]]):
    if given:
        return tuple(given)
    img_size = teacher_cfg.get('model', {}).get('img_size')
    if img_size is None:
        return None
    if isinstance(img_size, int):
        return (img_size, img_size)
    return tuple(img_size)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('config')
    parser.add_argument('--batch', type=int, default=8)
    parser.add_argument('--size', type=int, nargs=2, default=(192, 256))
    parser.add_argument('--rounds', type=int, default=10)
    parser.add_argument('--warmup', type=int, default=3)
    parser.add_argument('--device', default='cuda' if torch.cuda.is_available()
                        else 'cpu')
    parser.add_argument('--amp', action='store_true')
    parser.add_argument('--amp-dtype', default='auto',
                        choices=['auto', 'bfloat16', 'float16'])
    parser.add_argument('--channels-last', action='store_true')
    parser.add_argument('--spectral-method', default='auto',
                        choices=['auto', 'exact', 'sketch'])
    parser.add_argument('--teacher-options', nargs='*', default=['default'],
                        help='FrozenTeacher options to compare, each a '
                        f"'+'-joined set of {', '.join(TEACHER_OPTIONS)}")
    parser.add_argument('--native-size', type=int, nargs=2,
                        help="the teacher's native input size (default: its "
                        "model's img_size)")
    parser.add_argument('--min-cosine', type=float, default=0.999)
    parser.add_argument('--images', help='glob of images for the batch '
                        '(default: random images)')
    parser.add_argument('--out', help='JSON record (default: work_dirs/'
                        'benchmarks/<config>_<time>.json)')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction)
    args = parser.parse_args()
    if args.rounds < 2:
        parser.error('--rounds must be at least 2')
    return args


def compare_teacher_options(args, teacher_cfg: dict, inputs, grid,
                            device, sync):
    """The single teacher's options, forward alone, float32 steps: their
    times, peaks and cosine to the default map on the student's ``grid``,
    and the fastest whose mean cosine is >= ``--min-cosine``."""
    specs = ['default'] + [s for s in args.teacher_options if s != 'default']
    native = native_size(teacher_cfg, args.native_size)
    teachers = {s: MODELS.build(dict(teacher_cfg,
                                     **teacher_options(s, native))).to(device)
                for s in specs}
    reference = teachers['default'](inputs)
    options: Dict[str, dict] = {}
    for spec, teacher in teachers.items():
        mean, low = map_cosine(teacher(inputs), reference, grid)
        options[spec] = dict(kwargs=teacher_options(spec, native),
                             cosine_mean=mean, cosine_min=low)
    times = round_robin({s: (lambda t=t: t(inputs))
                         for s, t in teachers.items()},
                        args.rounds, args.warmup, sync)
    for spec, teacher in teachers.items():
        options[spec].update(summary(times[spec]))
        with peak_memory_meter(device) as meter:
            teacher(inputs)
        options[spec]['peak_bytes'] = meter.peak
    del teachers, reference
    fit = [s for s in specs if options[s]['cosine_mean'] >= args.min_cosine]
    return options, min(fit, key=lambda s: options[s]['median_ms'])


def main() -> None:
    args = parse_args()
    cfg = Config.fromfile(args.config)
    if args.cfg_options:
        cfg.merge_from_dict(args.cfg_options)
    cfg = cfg.model.to_dict()
    several = cfg.get('distill_pairs') is not None
    if not several and (cfg.get('teacher') is None
                        or cfg.get('projector') is None):
        raise SystemExit(f'{args.config} has no teacher and projector to time')
    if several and args.teacher_options not in ([], ['default']):
        raise SystemExit('--teacher-options compares the settings of one '
                         f'teacher; {args.config} has several pairs (time '
                         'a single-teacher config for them)')
    device = torch.device(args.device)
    precision = amp_dtype(args, device)
    if device.type == 'cpu':
        return_freed_memory_at_once()
    memory_format = (torch.channels_last if args.channels_last
                     else torch.contiguous_format)
    if args.channels_last:
        if several:
            cfg['teachers'] = {name: dict(t, channels_last=True)
                               for name, t in cfg['teachers'].items()}
        else:
            cfg['teacher'] = dict(cfg['teacher'], channels_last=True)

    def build(model_cfg):
        model = build_in_own_scope(ROOT_MODELS, model_cfg)
        return model.to(device, memory_format=memory_format).train()

    distiller = build(cfg)
    spectral = build(dict(
        without_distillation(cfg),
        distill_losses=dict(spectral=dict(type='mmxtkd.SpectralRegLoss',
                                          rank=2,
                                          method=args.spectral_method))))
    student = spectral.student  # the same network, without the extra term
    torch.manual_seed(0)
    inputs = input_batch(student, args.batch, args.size, args.images)
    inputs = inputs.to(device).contiguous(memory_format=memory_format)
    samples = [s.to(device)
               for s in fake_data_samples(student, args.batch, args.size)]
    with torch.no_grad():
        grid = [list(z.shape[-2:]) for z in
                distiller.student_features(inputs).values()][0]
    sync = (torch.cuda.synchronize if device.type == 'cuda'
            else (lambda: None))
    options, fastest = ({}, 'default') if several else compare_teacher_options(
        args, cfg['teacher'], inputs, tuple(grid), device, sync)

    # -- the training steps ------------------------------------------------
    steps: Dict[str, Callable[[], None]] = {
        'student': train_step(student, inputs, samples, precision),
    }

    def teacher_forward():
        with autocast(inputs, precision):
            distiller.distill.teacher_maps(inputs)
    steps['teacher'] = teacher_forward
    if precision is not None:
        steps['teacher_fp32'] = lambda: distiller.distill.teacher_maps(inputs)
    steps['projector'] = projector_step(distiller, inputs, precision)
    steps['distill'] = train_step(distiller, inputs, samples, precision)
    steps['spectral'] = train_step(spectral, inputs, samples, precision)
    if fastest != 'default':
        fast_cfg = dict(cfg['teacher'], **options[fastest]['kwargs'])
        fast = build(dict(cfg, teacher=fast_cfg))
        steps[f'distill[{fastest}]'] = train_step(fast, inputs, samples,
                                                  precision)
    if several:
        for pair in cfg['distill_pairs']:
            steps[f'distill[{pair} alone]'] = train_step(
                build(alone(cfg, pair)), inputs, samples, precision)
    forwards = teacher_forwards(distiller, steps['distill'])
    times = round_robin(steps, args.rounds, args.warmup, sync)
    variants = {name: summary(times[name]) for name in steps}
    for name, step in steps.items():
        with peak_memory_meter(device) as meter:
            step()
        variants[name].update(peak_bytes=meter.peak,
                              retained_bytes=meter.retained)

    med = {k: v['median_ms'] for k, v in variants.items()}
    fp32_teacher = med.get('teacher_fp32', med['teacher'])
    fast_distill = med.get(f'distill[{fastest}]', med['distill'])
    ratios = {
        'distill/(student+teacher)': med['distill'] / (med['student']
                                                        + med['teacher']),
        'spectral/student': med['spectral'] / med['student'],
        f'distill[{fastest}]/(student+teacher_fp32)':
        fast_distill / (med['student'] + fp32_teacher),
    }
    if several:
        ratios.update({f'distill/distill[{pair} alone]':
                       med['distill'] / med[f'distill[{pair} alone]']
                       for pair in cfg['distill_pairs']})
    peak = {k: v['peak_bytes'] for k, v in variants.items()}
    bound = peak['student'] + peak['teacher'] + peak['projector']
    memory_check = dict(distill_peak_bytes=peak['distill'],
                        bound_bytes=bound, holds=peak['distill'] <= bound)

    device_name = (torch.cuda.get_device_name(device)
                   if device.type == 'cuda' else
                   f'CPU ({platform.processor() or platform.machine()}), '
                   f'{torch.get_num_threads()} threads')
    record = dict(
        config=args.config, cfg_options=args.cfg_options,
        device=device_name, torch=torch.__version__,
        batch=args.batch, size=list(args.size),
        precision=str(precision).replace('torch.', '') if precision
        else 'float32',
        channels_last=args.channels_last, rounds=args.rounds,
        warmup=args.warmup, images=args.images or 'random',
        student_grid=grid, min_cosine=args.min_cosine,
        teacher_options=options, fastest_teacher_option=fastest,
        teacher_forwards=forwards,
        steps=variants, ratios=ratios, memory_check=memory_check,
        date=datetime.datetime.now().isoformat(timespec='seconds'))
    report(record)
    out = args.out or osp.join(
        'work_dirs', 'benchmarks',
        f'{osp.splitext(osp.basename(args.config))[0]}_'
        f'{datetime.datetime.now():%Y%m%d_%H%M%S}.json')
    os.makedirs(osp.dirname(osp.abspath(out)), exist_ok=True)
    with open(out, 'w') as f:
        json.dump(record, f, indent=1)
    print(f'record: {out}')


TARGETS = {'distill/(student+teacher)': 1.05, 'spectral/student': 1.03}


def report(r: dict) -> None:
    print(f"{r['config']}\nbatch {r['batch']}x3x{r['size'][0]}x{r['size'][1]}"
          f" ({r['images']} images) on {r['device']}, torch {r['torch']}; "
          f"{r['precision']}{', channels-last' if r['channels_last'] else ''}"
          f"; medians of {r['rounds']} rounds after {r['warmup']} warm-up "
          'rounds')
    if r['teacher_options']:
        print("teacher options (forward alone, float32 steps; cosine to the "
              f"default map on the student's {r['student_grid'][0]}x"
              f"{r['student_grid'][1]} grid):")
        base = r['teacher_options']['default']['median_ms']
        for spec, o in r['teacher_options'].items():
            print(f"  {spec:<22} {o['median_ms']:9.1f} ms  "
                  f"x{o['median_ms'] / base:.3f}  cosine mean "
                  f"{o['cosine_mean']:.6f} min {o['cosine_min']:.6f}"
                  f"  peak {o['peak_bytes'] / MIB:8.1f} MiB")
        print(f"  fastest with mean cosine >= {r['min_cosine']}: "
              f"{r['fastest_teacher_option']}")
    print('teacher forwards in one distill step: ' + ', '.join(
        f'{name} {n}' for name, n in r['teacher_forwards'].items()))
    print('steps:')
    for name, v in r['steps'].items():
        print(f"  {name:<22} {v['median_ms']:9.1f} ms  (quartiles "
              f"{v['q1_ms']:.1f} - {v['q3_ms']:.1f})  peak "
              f"{v['peak_bytes'] / MIB:8.1f} MiB  retained "
              f"{v['retained_bytes'] / MIB:6.1f} MiB")
    for name, value in r['ratios'].items():
        # the fast teacher option's target; one pair against all has none
        target = TARGETS.get(name, None if 'alone]' in name else 0.8)
        bound = f'  (target <= {target})' if target else ''
        print(f'  {name:<45} = {value:.3f}{bound}')
    m = r['memory_check']
    print(f"  distill peak {m['distill_peak_bytes'] / MIB:.1f} MiB "
          f"{'<=' if m['holds'] else '>'} student + teacher + projector "
          f"peaks {m['bound_bytes'] / MIB:.1f} MiB")


if __name__ == '__main__':
    main()
