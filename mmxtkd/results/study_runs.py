"""What the studies share: a config's schedule cut to a length, a training
in this process, each finished run's record cached under the settings it
ran with (an interrupted study goes on where it stopped), and the
projector's last spectrum of a run."""
import json
import os
import os.path as osp
from typing import Dict, Optional

from mmengine.config import Config

from mmxtkd.apis.in_process import as_python_numbers, train_in_process
from mmxtkd.utils.json_lines import read_json_lines


def cut_schedule(cfg: Config, length: int) -> None:
    """The config's loop, its schedulers and checkpoints cut to ``length``
    epochs (epoch-based loops) or iterations; one validation and one
    checkpoint, at the end."""
    by_epoch = cfg.train_cfg.type == 'EpochBasedTrainLoop'
    key = 'max_epochs' if by_epoch else 'max_iters'
    cfg.train_cfg.update({key: length, 'val_interval': length})
    schedulers = cfg.param_scheduler
    for scheduler in (schedulers if isinstance(schedulers, list) else
                      [schedulers]):
        scheduler.update(end=length)
        for name in ('total_steps', 'T_max'):
            if name in scheduler:
                scheduler.update({name: length})
    cfg.default_hooks.checkpoint.update(interval=length, max_keep_ckpts=1)
    if not by_epoch:
        cfg.default_hooks.logger.update(interval=max(1, length // 8))


def test_on_training_images(cfg: Config) -> None:
    """Point the config's test loop at its training set, read with the
    validation pipeline (no augmentation): ``runner.test()`` after training
    then measures the fit, the other side of the train-test gap."""
    cfg.test_dataloader = dict(
        cfg.val_dataloader,
        dataset=dict(cfg.train_dataloader.dataset,
                     pipeline=cfg.val_dataloader.dataset.pipeline))


def training_metrics(runner) -> dict:
    """The trained model's metrics on its training images (the config
    passed through :func:`test_on_training_images`)."""
    return as_python_numbers(runner.test())


def train_quietly(cfg: Config, work_dir: str):
    """Train ``cfg`` in this process into ``work_dir``, logging warnings
    only: the runner and its last validation's metrics."""
    cfg.log_level = 'WARNING'
    runner, metrics = train_in_process(cfg, work_dir)
    return runner, metrics[-1]


def reused_record(path: str, settings: dict) -> Optional[dict]:
    """The record saved at ``path`` if it was made with ``settings``."""
    if osp.isfile(path):
        with open(path) as f:
            saved = json.load(f)
        if saved.get('settings') == settings:
            return saved
    return None


def save_record(path: str, record: dict) -> None:
    """Write ``record`` as JSON at once or not at all (a run counts as
    done only when its record is complete)."""
    os.makedirs(osp.dirname(path) or '.', exist_ok=True)
    tmp = path + '.tmp'
    with open(tmp, 'w') as f:
        json.dump(record, f, indent=1)
    os.replace(tmp, path)


def remove_checkpoints(folder: str) -> None:
    """The run's checkpoints; its numbers are what a study keeps."""
    for name in os.listdir(folder):
        if name.endswith('.pth') or name == 'last_checkpoint':
            os.remove(osp.join(folder, name))


def last_spectrum(folder: str) -> Optional[dict]:
    """The last record of a run's ``SpectralRankHook``: the projector's
    numerical rank, smallest and largest singular value, and the loss
    decomposition; None for a run without a projector."""
    path = osp.join(folder, 'spectral_history.jsonl')
    if not osp.isfile(path):
        return None
    last = read_json_lines(path)[-1]
    sv = last['singular_values']
    return dict(iter=last['iter'], rank=last['rank'], of=len(sv),
                sigma_min=min(sv), sigma_max=max(sv),
                decomposition=last.get('decomposition'))


def plot_run_spectra(runs: Dict[str, str], path: str) -> Optional[str]:
    """Figure 3 for runs ``{label: run folder}``: each run's projector
    spectrum over training, into ``path``; None when no run has one."""
    from mmxtkd.visualization import plot_spectrum, read_history
    groups = {}
    for label, folder in runs.items():
        history = osp.join(folder, 'spectral_history.jsonl')
        if osp.isfile(history):  # one projector per run
            groups[label] = next(iter(read_history(history).values()))
    if not groups:
        return None
    plot_spectrum(groups, path)
    return path

