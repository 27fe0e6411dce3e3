"""Checkpoints written before the one distillation container (commit
b6fa8f8: the single pair's projector at ``distill.projector.*``) load and
resume into today's layout (``distill.pairs.main.projector.*``)."""
import os.path as osp
import shutil

import torch
from mmengine.config import Config
from mmengine.registry import MODELS
from mmengine.runner import load_checkpoint

from conftest import REPO, TINY_CONFIG, run_script
from mmxtkd.registry import build_in_own_scope
from test_tools import data_options

OLD = osp.join(REPO, 'tests', 'data', 'checkpoints',
               'tiny_cls_single-pair_b6fa8f8_iter_4.pth')


def old_state() -> dict:
    return torch.load(OLD, map_location='cpu', weights_only=True)


def test_an_old_single_pair_checkpoint_loads_strictly_into_the_pair():
    state = old_state()['state_dict']
    assert 'distill.projector.proj.weight' in state  # the old layout
    model = build_in_own_scope(MODELS, Config.fromfile(TINY_CONFIG).model)
    load_checkpoint(model, OLD, map_location='cpu', strict=True)
    torch.testing.assert_close(
        model.distill.pairs['main'].projector.proj.weight,
        state['distill.projector.proj.weight'])
    assert 'distill.pairs.main.projector.proj.weight' in model.state_dict()


def test_an_old_run_resumes_with_its_optimizer_state(tiny_image_folder,
                                                      tmp_path):
    work = tmp_path / 'work'
    work.mkdir()
    shutil.copy(OLD, work / 'iter_4.pth')
    (work / 'last_checkpoint').write_text(str(work / 'iter_4.pth'))
    out = run_script(osp.join(REPO, 'tools/train.py'), TINY_CONFIG,
                     '--work-dir', str(work), '--resume',
                     *data_options(tiny_image_folder, 6),
                     'default_hooks.checkpoint.interval=2',
                     'randomness.seed=1')  # not the saved run's init
    assert 'Iter(train) [5/6]' in out and 'Iter(train) [1/6]' not in out
    new = torch.load(work / 'iter_6.pth', map_location='cpu',
                     weights_only=True)
    # AdamW counts each parameter's steps: 4 before, 2 after the resume
    steps = {float(s['step']) for s in new['optimizer']['state'].values()}
    assert steps == {6.0}
    # the projector went on from its saved weights: two AdamW steps of lr
    # 2e-3 move each weight by a few 1e-3 (a fresh init is ~0.2 away)
    moved = new['state_dict']['distill.pairs.main.projector.proj.weight']
    saved = old_state()['state_dict']['distill.projector.proj.weight']
    assert 0 < (moved - saved).abs().max() < 0.012
