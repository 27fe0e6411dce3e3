"""How much distillation costs on top of the student (issue targets in brackets).

    python tools/analysis/benchmark_distill.py CONFIG [--batch 8] \
        [--size 192 256] [--rounds 10] [--warmup 3] [--device cuda] \
        [--spectral-method auto|exact|sketch] [--variants student spectral]

CONFIG is a CrossTaskDistiller config (a teacher and a projector). From it
the script builds, on random inputs of the given size:

- student:   the plain student, loss + backward + AdamW step;
- teacher:   the frozen teacher's forward alone;
- distill:   the distiller as configured, loss + backward + step;
- spectral:  the same student, teacher-free, with SpectralRegLoss(rank=2)
             (eq. 6; ``--spectral-method`` picks how its subspace is found).

``--variants`` times a subset (each ratio needs its variants).

The variants run round-robin (so machine drift hits them alike) after
``--warmup`` untimed rounds; the medians are reported with the ratios
``distill / (student + teacher)`` [<= 1.05] and ``spectral / student``
[<= 1.03]. The quartiles show how noisy the machine was.
"""
import argparse
import statistics
import time
from typing import Callable, Dict, List

import torch
from mmengine.config import Config
from mmengine.registry import MODELS as ROOT_MODELS

import mmxtkd.models  # noqa: F401  (registers the components)
from mmxtkd.utils import build_in_own_scope


VARIANTS = ('student', 'teacher', 'distill', 'spectral')


def fake_data_samples(student: torch.nn.Module, inputs: torch.Tensor) -> List:
    """Ground truth of the right kind for the student's own loss."""
    module = type(student).__module__
    b, _, h, w = inputs.shape
    if module.startswith('mmpretrain'):
        from mmpretrain.structures import DataSample
        return [DataSample().set_gt_label(i % 2) for i in range(b)]
    if module.startswith('mmseg'):
        from mmengine.structures import PixelData
        from mmseg.structures import SegDataSample
        samples = []
        for _ in range(b):
            s = SegDataSample()
            meta = dict(img_shape=(h, w), pad_shape=(h, w), ori_shape=(h, w))
            s.set_metainfo(meta)
            s.gt_depth_map = PixelData(data=torch.rand(1, h, w) * 9 + 0.5)
            s.gt_sem_seg = PixelData(
                data=torch.zeros(1, h, w, dtype=torch.long))
            samples.append(s)
        return samples
    raise NotImplementedError(f'no fake ground truth for {module} students')


def train_step(model, inputs, samples, optim) -> Callable[[], None]:
    def step():
        losses = model(inputs, samples, mode='loss')
        total = sum(v for k, v in losses.items() if 'loss' in k)
        optim.zero_grad(set_to_none=True)
        total.backward()
        optim.step()
    return step


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('config')
    parser.add_argument('--batch', type=int, default=8)
    parser.add_argument('--size', type=int, nargs=2, default=(192, 256))
    parser.add_argument('--rounds', type=int, default=10)
    parser.add_argument('--warmup', type=int, default=3)
    parser.add_argument('--device', default='cuda' if torch.cuda.is_available()
                        else 'cpu')
    parser.add_argument('--spectral-method', default='auto',
                        choices=['auto', 'exact', 'sketch'])
    parser.add_argument('--variants', nargs='+', choices=VARIANTS,
                        default=list(VARIANTS))
    args = parser.parse_args()
    if args.rounds < 2:
        parser.error('--rounds must be at least 2')

    cfg = Config.fromfile(args.config).model
    if cfg.get('teacher') is None or cfg.get('projector') is None:
        raise SystemExit(f'{args.config} has no teacher and projector to time')
    distiller = build_in_own_scope(ROOT_MODELS, cfg).to(args.device).train()
    spectral_cfg = dict(
        cfg, teacher=None, projector=None,
        distill_losses=dict(spectral=dict(type='mmxtkd.SpectralRegLoss',
                                          rank=2,
                                          method=args.spectral_method)))
    spectral = build_in_own_scope(ROOT_MODELS, spectral_cfg).to(args.device).train()
    student = spectral.student  # the same network, without the extra term

    torch.manual_seed(0)
    inputs = torch.randn(args.batch, 3, *args.size, device=args.device)
    samples = fake_data_samples(student, inputs)
    samples = [s.to(args.device) for s in samples]

    def adamw(model):
        return torch.optim.AdamW(
            [p for p in model.parameters() if p.requires_grad], lr=1e-4)

    steps: Dict[str, Callable[[], None]] = {
        'student': train_step(student, inputs, samples, adamw(student)),
        'teacher': lambda: distiller.distill.teacher(inputs),
        'distill': train_step(distiller, inputs, samples, adamw(distiller)),
        'spectral': train_step(spectral, inputs, samples, adamw(spectral)),
    }
    steps = {k: v for k, v in steps.items() if k in args.variants}
    sync = (torch.cuda.synchronize if args.device.startswith('cuda')
            else (lambda: None))
    times: Dict[str, List[float]] = {k: [] for k in steps}
    for r in range(args.warmup + args.rounds):
        for name, step in steps.items():
            sync()
            t0 = time.perf_counter()
            step()
            sync()
            if r >= args.warmup:
                times[name].append(time.perf_counter() - t0)

    med = {k: statistics.median(v) for k, v in times.items()}
    dev = (torch.cuda.get_device_name() if args.device.startswith('cuda')
           else f'CPU, {torch.get_num_threads()} threads')
    print(f'{args.config}\nbatch {args.batch}x3x{args.size[0]}x{args.size[1]}'
          f' on {dev}; medians of {args.rounds} rounds after {args.warmup} '
          'warm-up rounds')
    for k in steps:
        q1, _, q3 = statistics.quantiles(times[k], n=4)
        print(f'  {k:<9} {1000 * med[k]:9.1f} ms  '
              f'(quartiles {1000 * q1:.1f} - {1000 * q3:.1f})')
    if {'distill', 'student', 'teacher'} <= set(med):
        r1 = med['distill'] / (med['student'] + med['teacher'])
        print(f'  distill / (student + teacher) = {r1:.3f}  (target <= 1.05)')
    if {'spectral', 'student'} <= set(med):
        r2 = med['spectral'] / med['student']
        print(f'  spectral / student            = {r2:.3f}  (target <= 1.03, '
              f'subspace: {args.spectral_method})')


if __name__ == '__main__':
    main()
