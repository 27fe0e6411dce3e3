"""A short distillation run with a random teacher: the total loss goes down."""
import numpy as np
from mmengine.config import Config
from mmengine.runner import Runner

from conftest import TINY_CONFIG, LossRecorder


def test_total_loss_decreases_with_a_random_teacher(tiny_image_folder,
                                                    tmp_path):
    cfg = Config.fromfile(TINY_CONFIG)
    cfg.work_dir = str(tmp_path)
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        cfg[loader].dataset.data_root = tiny_image_folder
    cfg.train_cfg = dict(type='IterBasedTrainLoop', max_iters=40,
                         val_interval=1000)
    cfg.default_hooks.checkpoint.interval = 1000
    cfg.custom_hooks = []
    runner = Runner.from_cfg(cfg)
    recorder = LossRecorder()
    runner.register_hook(recorder, priority='LOWEST')
    runner.train()
    losses = recorder.losses
    assert len(losses) == 40
    first, last = np.mean(losses[:8]), np.mean(losses[-8:])
    assert last < 0.7 * first, (first, last)
