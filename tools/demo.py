"""The main jobs on the embedded synthetic data sets, end to end.

    python tools/demo.py                # depth (make demo)
    python tools/demo.py --task seg     # segmentation (make demo-seg)
    python tools/demo.py --task colourisation  # Pix2Pix
                                               # (make demo-colourisation)
    python tools/demo.py --task sat2map  # CycleGAN (make demo-sat2map)
    python tools/demo.py --task refilled [--seeds 3]  # (make demo-refilled)
    python tools/demo.py --task two-teachers  # (make demo-two-teachers)

1. writes the task's synthetic data set when it is missing;
2. for each of the task's configs: evaluates the untrained student, trains,
   and evaluates it again;
   - depth: the main config's synthetic twin (MobileNetV2-0.5 student,
     random ViT-B/16 teacher, inverted projection, FitNets);
   - two-teachers: the same student with two random teachers at once
     (ViT-B/16 and DeepLabV3-ResNet-50), each pair its own inverted
     projection;
   - seg: DeepLabV3-ResNet-18 students alone and with a random ResNet-50
     teacher, the traditional and the inverted projection (same seed, same
     budget);
   - colourisation, sat2map: a small Pix2Pix / CycleGAN with a random
     ResNet-50 teacher and the inverted projection;
3. prints the metrics before and after, the checkpoints, the projectors'
   final numerical ranks, and writes their spectra plot (paper figure 3);
   for the translation tasks also a strip of test images (rows of input |
   output | target).

refilled runs REFILLED on real data, scikit-learn's handwritten digits
(configs/refilled/digits/): a WRN-16-1 teacher trained on digits 0-4, then
for each seed the student on digits 5-9 (10 training images a digit) alone
and with REFILLED's two stages from that teacher; it prints the teacher's
accuracy, each seed's student accuracies, their mean and spread, and the
paired difference.
"""
import argparse
import os.path as osp
import time
from typing import Callable, Dict, List, NamedTuple, Optional, Tuple

import cv2
import numpy as np
from mmengine.config import Config
from mmengine.runner import Runner

from mmxtkd.apis.in_process import train_in_process
from mmxtkd.datasets import (make_digits_class_split, make_synthetic_ade,
                             make_synthetic_colourisation, make_synthetic_nyu,
                             make_synthetic_sat2map)
from mmxtkd.visualization import plot_spectrum, read_history


class DemoTask(NamedTuple):
    configs: Tuple[str, ...]
    metrics: Tuple[str, ...]
    split: str  # the evaluated split, as the printout names it
    marker: str  # a file of the data set, relative to data_root
    make_data: Callable[[str], Dict]
    # translation tasks: the (input, output, target) keys of a test strip
    strip: Tuple[str, str, str] = ()


DEPTH = dict(metrics=('d1', 'd2', 'd3', 'abs_rel', 'sq_rel', 'rmse',
                      'rmse_log'), split='test',
             marker='nyudepthv2_test_files_with_gt.txt',
             make_data=make_synthetic_nyu)
TASKS = {
    'depth': DemoTask(
        ('configs/depth/synthetic/mbv2_vitb-cls-teacher_inverted.py', ),
        **DEPTH),
    'two-teachers': DemoTask(
        ('configs/depth/synthetic/'
         'mbv2_vitb-cls+dlv3-seg-teachers_inverted.py', ), **DEPTH),
    'seg': DemoTask(
        ('configs/seg/synthetic/dlv3-r18_baseline.py',
         'configs/seg/synthetic/dlv3-r18_r50-random-teacher_traditional.py',
         'configs/seg/synthetic/dlv3-r18_r50-random-teacher_inverted.py'),
        ('mIoU', 'aAcc', 'mAcc'), 'validation', 'annotations/validation',
        make_synthetic_ade),
    'colourisation': DemoTask(
        ('configs/colourisation/synthetic/'
         'pix2pix-s_r50-random-teacher_inverted.py', ), ('PSNR', ), 'test',
        'test', make_synthetic_colourisation,
        ('img_gray', 'fake_photo', 'img_photo')),
    'sat2map': DemoTask(
        ('configs/sat2map/synthetic/cyclegan-s_r50-random-teacher_inverted.py',
         ), ('PSNR', ), 'test', 'testB', make_synthetic_sat2map,
        ('img_aerial', 'fake_map', 'img_map')),
}


def run_name(config: str) -> str:
    """'.../mbv2_x-teacher_inverted.py' -> 'inverted'."""
    return osp.splitext(osp.basename(config))[0].rsplit('_', 1)[-1]


def train_and_record(config: str, work_dir: str,
                     strip: Tuple[str, str, str] = (),
                     options: Optional[dict] = None) -> Tuple[dict, dict]:
    """Train one config (with ``options`` merged in, as --cfg-options);
    its metrics before and after training. With ``strip`` keys, also
    writes ``work_dir/strip.png``."""
    cfg = Config.fromfile(config)
    cfg.merge_from_dict(options or {})
    runner, metrics = train_in_process(cfg, work_dir, validate_first=True)
    if strip:
        write_strip(runner, strip, osp.join(work_dir, 'strip.png'))
    return metrics[0], metrics[-1]


def write_strip(runner: Runner, keys: Tuple[str, str, str], path: str,
                rows: int = 6) -> None:
    """The first ``rows`` test images as rows of input | output | target,
    from the trained model's own validation step."""
    samples = runner.model.val_step(next(iter(runner.val_dataloader)))
    # fields (3, H, W) in [0, 255], BGR as loaded and as mmagic destructs
    images = [np.concatenate([
        sample.get(key).float().clamp(0, 255).byte().permute(1, 2, 0).cpu()
        .numpy()
        for key in keys], axis=1) for sample in samples[:rows]]
    cv2.imwrite(path, np.concatenate(images, axis=0))


REFILLED_DEMO = 'configs/refilled/digits/'
REFILLED_RUNS = dict(
    teacher='wrn-16-1_digits0-4.py', baseline='wrn-16-1_baseline.py',
    stage1='wrn-16-1_wrn-16-1-digits0-4-teacher_refilled-stage1.py',
    stage2='wrn-16-1_wrn-16-1-digits0-4-teacher_refilled-stage2.py')


def last_checkpoint(work_dir: str) -> str:
    with open(osp.join(work_dir, 'last_checkpoint')) as f:  # mmengine's
        return f.read().strip()


def refilled_demo(work_root: str, seeds: int) -> None:
    """The teacher once, then per seed the student alone and REFILLED's
    stages 1 and 2; their test accuracies."""
    start = time.time()
    data_root = 'data/digits_class_split'
    if not osp.exists(osp.join(data_root, 'student', 'test')):
        print(f'writing scikit-learn\'s digits to {data_root} ...', flush=True)
        print(f'  {make_digits_class_split(data_root)}', flush=True)
    config = {k: REFILLED_DEMO + v for k, v in REFILLED_RUNS.items()}
    teacher_dir = osp.join(work_root, 'teacher')
    _, teacher = train_and_record(config['teacher'], teacher_dir,
                                  options={'randomness.seed': 0})
    with_teacher = {'model.teacher.checkpoint': last_checkpoint(teacher_dir)}
    accuracy = {'alone': [], 'REFILLED': []}
    for seed in range(seeds):
        root, seeded = osp.join(work_root, f'seed{seed}'), {
            'randomness.seed': seed}
        _, alone = train_and_record(config['baseline'],
                                    osp.join(root, 'baseline'),
                                    options=seeded)
        train_and_record(config['stage1'], osp.join(root, 'stage1'),
                         options=dict(seeded, **with_teacher))
        _, refilled = train_and_record(
            config['stage2'], osp.join(root, 'stage2'),
            options=dict(seeded, **with_teacher, **{
                'model.student.init_cfg.checkpoint':
                last_checkpoint(osp.join(root, 'stage1'))}))
        accuracy['alone'].append(alone['accuracy/top1'])
        accuracy['REFILLED'].append(refilled['accuracy/top1'])
    print(f'\nREFILLED on scikit-learn\'s digits ({time.time() - start:.0f} s '
          'in all): top-1 accuracy (%) on the test images')
    print(f'  teacher, digits 0-4 (721 training images): '
          f'{teacher["accuracy/top1"]:.2f}')
    print('  student, digits 5-9 (50 training images, 846 test):')
    print(f"  {'seed':<8}{'alone':>10}{'REFILLED':>10}{'difference':>12}")
    for seed in range(seeds):
        a, r = accuracy['alone'][seed], accuracy['REFILLED'][seed]
        print(f'  {seed:<8}{a:>10.2f}{r:>10.2f}{r - a:>+12.2f}')
    diff = np.subtract(accuracy['REFILLED'], accuracy['alone'])
    spread = {k: np.std(v, ddof=1) if seeds > 1 else 0.0
              for k, v in accuracy.items()}
    print(f"  {'mean':<8}{np.mean(accuracy['alone']):>10.2f}"
          f"{np.mean(accuracy['REFILLED']):>10.2f}{diff.mean():>+12.2f}")
    print(f"  {'std':<8}{spread['alone']:>10.2f}{spread['REFILLED']:>10.2f}"
          f"{(np.std(diff, ddof=1) if seeds > 1 else 0.0):>12.2f}")
    print(f'runs (checkpoints, logs): {work_root}')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--task', choices=sorted(TASKS) + ['refilled'],
                        default='depth')
    parser.add_argument('--seeds', type=int, default=3,
                        help='refilled: the student runs of each kind')
    parser.add_argument('--config', action='append',
                        help="the config(s) to run instead of the task's")
    parser.add_argument('--work-dir', help='default: work_dirs/demo[_TASK]')
    args = parser.parse_args()
    if args.task == 'refilled':
        return refilled_demo(args.work_dir or 'work_dirs/demo_refilled',
                             args.seeds)
    task = TASKS[args.task]
    configs: List[str] = args.config or list(task.configs)
    work_root = args.work_dir or ('work_dirs/demo' if args.task == 'depth' else
                                  f'work_dirs/demo_{args.task}')
    start = time.time()

    data_root = Config.fromfile(configs[0]).train_dataloader.dataset.data_root
    if not osp.exists(osp.join(data_root, task.marker)):
        print(f'writing the synthetic data set to {data_root} ...', flush=True)
        summary = task.make_data(data_root)
        print(f'  {summary} in {time.time() - start:.0f} s', flush=True)

    runs = {}
    for config in configs:
        work_dir = (work_root if len(configs) == 1 else
                    osp.join(work_root, run_name(config)))
        runs[run_name(config)] = (work_dir, ) + train_and_record(
            config, work_dir, task.strip)

    names = list(runs)
    print(f'\n{args.task} metrics on the synthetic {task.split} split '
          f'({time.time() - start:.0f} s in all)')
    header = ''.join(f'{n + " before":>20}{n + " after":>20}' for n in names)
    print(f"  {'metric':<9}{header}")
    for key in task.metrics:
        row = ''.join(f'{before[key]:>20.4f}{after[key]:>20.4f}'
                      for _, before, after in runs.values())
        print(f'  {key:<9}{row}')
    spectra = {}
    for name, (work_dir, _, _) in runs.items():
        with open(osp.join(work_dir, 'last_checkpoint')) as f:  # mmengine's
            print(f'{name + " checkpoint:":<30}{f.read().strip()}')
        if task.strip:
            print(f'{name + " test images:":<30}'
                  f'{osp.join(work_dir, "strip.png")} '
                  f'({" | ".join(task.strip)})')
        history = osp.join(work_dir, 'spectral_history.jsonl')
        if osp.isfile(history):  # a run with a projector
            for tag, recs in read_history(history).items():
                last = recs[-1]
                print(f'{name + " final rank of P:":<30}{last["rank"]} of '
                      f'{len(last["singular_values"])} singular values '
                      f'(tol {last["tol"]:g} sigma_1, {tag}, iter '
                      f'{last["iter"]})')
                spectra[f'{name}: {tag}' if len(runs) > 1 else tag] = recs
    if spectra:
        plot = osp.join(work_root, 'spectrum.png')
        plot_spectrum(spectra, plot)
        print(f'{"spectrum plot (fig. 3):":<30}{plot}')


if __name__ == '__main__':
    main()
