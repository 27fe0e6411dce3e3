"""The main job on the embedded synthetic data set, end to end (``make demo``).

1. writes the synthetic NYUv2-layout data set when it is missing;
2. evaluates the untrained student, trains the main config's synthetic twin
   (MobileNetV2-0.5 depth student, random ViT-B/16 teacher, inverted
   projection, FitNets), and evaluates it again;
3. prints the depth metrics before and after, the checkpoint, and the
   projector-spectrum plot (paper figure 3) it writes.
"""
import argparse
import os.path as osp
import time

from mmengine.config import Config
from mmengine.hooks import Hook
from mmengine.runner import Runner

from mmxtkd.datasets import make_synthetic_nyu
from mmxtkd.visualization import plot_spectrum, read_history

CONFIG = 'configs/depth/synthetic/mbv2_vitb-cls-teacher_inverted.py'
METRICS = ('d1', 'd2', 'd3', 'abs_rel', 'sq_rel', 'rmse', 'rmse_log')


class ValidateBeforeAndAfter(Hook):
    """Validates the initialised model before training; records every
    validation's metrics (the first: untrained, the last: trained)."""

    priority = 'LOWEST'

    def __init__(self) -> None:
        self.metrics = []

    def before_train(self, runner) -> None:
        runner.val_loop.run()

    def after_val_epoch(self, runner, metrics=None) -> None:
        self.metrics.append(dict(metrics or {}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--config', default=CONFIG)
    parser.add_argument('--work-dir', default='work_dirs/demo')
    args = parser.parse_args()
    start = time.time()

    cfg = Config.fromfile(args.config)
    cfg.work_dir = args.work_dir
    data_root = cfg.train_dataloader.dataset.data_root
    if not osp.isfile(osp.join(data_root, 'nyudepthv2_test_files_with_gt.txt')):
        print(f'writing the synthetic data set to {data_root} ...', flush=True)
        summary = make_synthetic_nyu(data_root)
        print(f"  {summary['train']['images']} train / "
              f"{summary['test']['images']} test frames in "
              f'{time.time() - start:.0f} s', flush=True)

    runner = Runner.from_cfg(cfg)
    record = ValidateBeforeAndAfter()
    runner.register_hook(record)
    runner.train()

    before, after = record.metrics[0], record.metrics[-1]
    print('\ndepth metrics on the synthetic test split '
          f'({time.time() - start:.0f} s in all)')
    print(f"  {'metric':<9}{'untrained':>11}{'trained':>11}")
    for key in METRICS:
        print(f'  {key:<9}{before[key]:>11.4f}{after[key]:>11.4f}')
    ckpt = osp.join(cfg.work_dir, f'iter_{cfg.train_cfg.max_iters}.pth')
    print(f'checkpoint:             {ckpt}')
    history = osp.join(cfg.work_dir, 'spectral_history.jsonl')
    if osp.isfile(history):  # a run with a projector
        plot = osp.join(cfg.work_dir, 'spectrum.png')
        plot_spectrum(read_history(history), plot)
        print(f'projector spectra:      {history}')
        print(f'spectrum plot (fig. 3): {plot}')


if __name__ == '__main__':
    main()
