"""Teacher-free distillation on mmpretrain's DeiT-Ti (paper table 4): the
spectral loss sees the features its config names, and the config trains on a
tiny tree in ImageNet's layout."""
import os
import os.path as osp

import cv2
import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmengine.registry import MODELS, DefaultScope
from mmengine.runner import Runner
from mmpretrain.structures import DataSample

from conftest import REPO, LossRecorder
from mmxtkd.models import SpectralRegLoss

CONFIGS = osp.join(REPO, 'configs', 'teacher_free')


def build(name: str):
    cfg = Config.fromfile(osp.join(CONFIGS, name))
    with DefaultScope.overwrite_default_scope(cfg.default_scope):
        return MODELS.build(cfg.model)


@pytest.mark.parametrize(
    'name', ['deit-ti_spectral-r8.py', 'deit-ti_spectral-r8_pooled.py'])
def test_spectral_loss_sees_the_features_its_config_names(name):
    torch.manual_seed(0)
    model = build(name)
    backbone = model.student.backbone
    seen = {}
    backbone.layers[11].register_forward_hook(
        lambda m, a, out: seen.update(tokens=out))
    backbone.register_forward_hook(lambda m, a, out: seen.update(pooled=out))
    # 16 images of 64 x 64: 16 patch tokens each
    inputs = torch.randn(16, 3, 64, 64)
    samples = [DataSample().set_gt_label(i % 10) for i in range(16)]
    losses = model.loss(inputs, samples)
    loss = SpectralRegLoss(rank=8)
    if name.endswith('_pooled.py'):  # the class token the head classifies
        expected = loss(seen['pooled'][-1])
        assert seen['pooled'][-1].shape == (16, 192)
    else:  # the last block's patch tokens, class token left out
        expected = loss(seen['tokens'][:, 1:])
        assert seen['tokens'].shape == (16, 1 + 16, 192)
    torch.testing.assert_close(losses['loss_distill_spectral'], expected)
    assert losses['loss_distill_spectral'] > 0
    assert set(losses) == {'loss', 'loss_distill_spectral'}  # + the head's


def test_spectral_loss_sees_the_swinv2_depth_students_last_stage():
    """Table 3's model: the loss is taken of the SwinV2-B encoder's stage-4
    map (after its output norm), 1024 channels at stride 32."""
    from mmengine.structures import PixelData
    from mmseg.structures import SegDataSample
    torch.manual_seed(0)
    cfg = Config.fromfile(
        osp.join(REPO, 'configs', 'depth', 'swinv2b_spectral-r2.py'))
    with DefaultScope.overwrite_default_scope(cfg.default_scope):
        model = MODELS.build(cfg.model)
    backbone = model.student.backbone
    seen = {}
    backbone.norm3.register_forward_hook(
        lambda m, a, out: seen.update(stage4=out))
    samples = []
    for _ in range(2):
        sample = SegDataSample(gt_depth_map=PixelData(
            data=torch.rand(1, 64, 96) * 9 + 0.5))
        sample.set_metainfo(dict(img_shape=(64, 96), pad_shape=(64, 96)))
        samples.append(sample)
    with torch.no_grad():
        losses = model.loss(torch.randn(2, 3, 64, 96), samples)
    stage4 = seen['stage4']  # (B, H*W, C) tokens, as the norm sees them
    assert stage4.shape == (2, 2 * 3, 1024)
    expected = SpectralRegLoss(rank=2)(stage4.reshape(-1, 1024))
    torch.testing.assert_close(losses['loss_distill_spectral'], expected)
    assert losses['loss_distill_spectral'] > 0
    assert set(losses) == {'decode.loss_silog', 'loss_distill_spectral'}


def write_imagenet_tree(root: str, per_split: int = 4) -> str:
    """``root/{train,val}/<wnid>/*.JPEG`` and ``root/meta/{train,val}.txt``
    ('path label' lines), ImageNet's layout as mmpretrain reads it."""
    rng = np.random.default_rng(0)
    wnids = ('n01440764', 'n01443537')
    for split in ('train', 'val'):
        lines = []
        for i in range(per_split):
            label = i % 2
            rel = f'{wnids[label]}/{split}_{i}.JPEG'
            path = osp.join(root, split, rel)
            os.makedirs(osp.dirname(path), exist_ok=True)
            cv2.imwrite(path, rng.integers(0, 255, (80, 96, 3), np.uint8))
            lines.append(f'{rel} {label}\n')
        os.makedirs(osp.join(root, 'meta'), exist_ok=True)
        with open(osp.join(root, 'meta', f'{split}.txt'), 'w') as f:
            f.writelines(lines)
    return root


def test_deit_config_trains_on_an_imagenet_tree(tmp_path):
    root = write_imagenet_tree(str(tmp_path / 'imagenet'))
    cfg = Config.fromfile(osp.join(CONFIGS, 'deit-ti_spectral-r8.py'))
    cfg.work_dir = str(tmp_path / 'work')
    for loader in ('train_dataloader', 'val_dataloader'):
        cfg[loader].update(batch_size=2, num_workers=0,
                           persistent_workers=False)
        cfg[loader].dataset.data_root = root
    cfg.test_dataloader = cfg.val_dataloader
    cfg.train_cfg = dict(by_epoch=True, max_epochs=1, val_interval=1)
    cfg.param_scheduler = []
    runner = Runner.from_cfg(cfg)
    recorder = LossRecorder()
    runner.register_hook(recorder)
    runner.train()
    assert len(recorder.losses) == 2  # 4 images, batch 2
    assert 'loss_distill_spectral' in recorder.keys
    metrics = runner.val_loop.run()
    assert set(metrics) >= {'accuracy/top1', 'accuracy/top5'}
    assert np.isfinite(recorder.losses).all()
