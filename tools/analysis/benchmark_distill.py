"""What distillation costs on top of the student (targets in brackets).

    python tools/analysis/benchmark_distill.py CONFIG [--batch 8] \\
        [--size 192 256] [--rounds 10] [--warmup 3] [--device cuda] \\
        [--amp [--amp-dtype auto|bfloat16|float16]] [--channels-last] \\
        [--teacher-options default bf16 native ...] [--min-cosine 0.999] \\
        [--images 'data/nyu/**/*.jpg'] [--out RECORD.json] \\
        [--cfg-options model.teacher.checkpoint=None ...]

CONFIG is a CrossTaskDistiller config (a teacher and a projector). From it
the script builds, on a batch of random images (or ``--images``, resized)
put through the student's data preprocessor:

- student:   the plain student, loss + backward + AdamW step;
- teacher:   the frozen teacher's forward alone, as configured, under the
             step's precision;
- projector: the projector and the distillation losses alone, forward and
             backward, on a teacher map already on the student's grid;
- distill:   the distiller as configured, loss + backward + step;
- spectral:  the same student, teacher-free, with SpectralRegLoss(rank=2)
             (eq. 6; ``--spectral-method`` picks how its subspace is found).

``--amp`` runs every step under autocast: bfloat16 where the device supports
it, else float16 with dynamic loss scaling (``--amp-dtype`` chooses).
``--channels-last`` puts the models and the inputs in that memory format.

First the teacher options (``--teacher-options``; FrozenTeacher's
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
from mmxtkd.analysis.benchmark import (TEACHER_OPTIONS, map_cosine,
                                       peak_memory_meter,
                                       return_freed_memory_at_once,
                                       round_robin, summary, teacher_options)
from mmxtkd.models.alignment import resize_map
from mmxtkd.registry import MODELS
from mmxtkd.utils import build_in_own_scope

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


def projector_step(distiller, teacher_map, student_shape, precision):
    """The projector and losses alone, forward and backward."""
    student_map = torch.randn(student_shape, device=teacher_map.device,
                              requires_grad=True)
    params = list(distiller.distill.parameters()) + [student_map]

    def step():
        with autocast(teacher_map, precision):
            terms = distiller.distill.terms(student_map, teacher_map)
        sum(terms.values()).backward()
        for p in params:
            p.grad = None
    return step


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


def main() -> None:
    args = parse_args()
    cfg = Config.fromfile(args.config)
    if args.cfg_options:
        cfg.merge_from_dict(args.cfg_options)
    cfg = cfg.model
    if cfg.get('teacher') is None or cfg.get('projector') is None:
        raise SystemExit(f'{args.config} has no teacher and projector to time')
    device = torch.device(args.device)
    precision = amp_dtype(args, device)
    if device.type == 'cpu':
        return_freed_memory_at_once()
    memory_format = (torch.channels_last if args.channels_last
                     else torch.contiguous_format)
    teacher_cfg = dict(cfg.teacher)
    if args.channels_last:
        teacher_cfg['channels_last'] = True

    def build(model_cfg):
        model = build_in_own_scope(ROOT_MODELS, model_cfg)
        return model.to(device, memory_format=memory_format).train()

    distiller = build(dict(cfg, teacher=teacher_cfg))
    spectral = build(dict(
        cfg, teacher=None, projector=None,
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
        student_shape = distiller.student_feature(inputs).shape
    grid = tuple(student_shape[-2:])
    sync = (torch.cuda.synchronize if device.type == 'cuda'
            else (lambda: None))

    # -- the teacher's options, forward alone, float32 steps ---------------
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
    fastest = min(fit, key=lambda s: options[s]['median_ms'])

    # -- the training steps ------------------------------------------------
    steps: Dict[str, Callable[[], None]] = {
        'student': train_step(student, inputs, samples, precision),
    }

    def teacher_forward():
        with autocast(inputs, precision):
            distiller.distill.teacher(inputs)
    steps['teacher'] = teacher_forward
    if precision is not None:
        steps['teacher_fp32'] = lambda: distiller.distill.teacher(inputs)
    with torch.no_grad(), autocast(inputs, precision):
        teacher_map = resize_map(distiller.distill.teacher(inputs).float(),
                                 grid)
    steps['projector'] = projector_step(distiller, teacher_map,
                                        student_shape, precision)
    steps['distill'] = train_step(distiller, inputs, samples, precision)
    steps['spectral'] = train_step(spectral, inputs, samples, precision)
    if fastest != 'default':
        fast_cfg = dict(teacher_cfg, **options[fastest]['kwargs'])
        fast = build(dict(cfg, teacher=fast_cfg))
        steps[f'distill[{fastest}]'] = train_step(fast, inputs, samples,
                                                  precision)
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
        student_grid=list(grid), min_cosine=args.min_cosine,
        teacher_options=options, fastest_teacher_option=fastest,
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
    print(f"teacher options (forward alone, float32 steps; cosine to the "
          f"default map on the student's {r['student_grid'][0]}x"
          f"{r['student_grid'][1]} grid):")
    base = r['teacher_options']['default']['median_ms']
    for spec, o in r['teacher_options'].items():
        print(f"  {spec:<22} {o['median_ms']:9.1f} ms  "
              f"x{o['median_ms'] / base:.3f}"
              f"  cosine mean {o['cosine_mean']:.6f} min {o['cosine_min']:.6f}"
              f"  peak {o['peak_bytes'] / MIB:8.1f} MiB")
    print(f"  fastest with mean cosine >= {r['min_cosine']}: "
          f"{r['fastest_teacher_option']}")
    print('steps:')
    for name, v in r['steps'].items():
        print(f"  {name:<22} {v['median_ms']:9.1f} ms  (quartiles "
              f"{v['q1_ms']:.1f} - {v['q3_ms']:.1f})  peak "
              f"{v['peak_bytes'] / MIB:8.1f} MiB  retained "
              f"{v['retained_bytes'] / MIB:6.1f} MiB")
    for name, value in r['ratios'].items():
        target = TARGETS.get(name, 0.8)
        print(f'  {name:<45} = {value:.3f}  (target <= {target})')
    m = r['memory_check']
    print(f"  distill peak {m['distill_peak_bytes'] / MIB:.1f} MiB "
          f"{'<=' if m['holds'] else '>'} student + teacher + projector "
          f"peaks {m['bound_bytes'] / MIB:.1f} MiB")


if __name__ == '__main__':
    main()
