"""The main config's distillation keys, mutated: each mutant either builds
and takes a training step (loss and backward) with finite losses, or fails
with an error that names the offending key or value."""
import os.path as osp

import pytest
import torch
from mmengine.config import Config
from mmengine.registry import MODELS

from conftest import REPO
from mmxtkd.registry import build_in_own_scope
from test_amp import depth_batch

MAIN = osp.join(REPO,
                'configs/depth/synthetic/mbv2_vitb-cls-teacher_inverted.py')
FITNETS = dict(type='mmxtkd.FitNetsLoss')
OK = None

#: (id, {dotted key under model: value}, None or a regex of the error)
CASES = [
    ('traditional', {'projector.type': 'mmxtkd.TraditionalProjector'}, OK),
    ('ensemble', {'projector': dict(type='mmxtkd.ProjectorEnsemble')}, OK),
    ('loss weight', {'distill_losses.fitnets.loss_weight': 0.25}, OK),
    ('at', {'distill_losses': dict(at=dict(type='mmxtkd.ATLoss'))}, OK),
    ('pkt', {'distill_losses': dict(pkt=dict(type='mmxtkd.PKTLoss'))}, OK),
    ('two losses', {'distill_losses': dict(
        fitnets=FITNETS,
        spectral=dict(type='mmxtkd.SpectralRegLoss', rank=2))}, OK),
    ('rank above channels', {'distill_losses': dict(
        fitnets=FITNETS, spectral=dict(type='mmxtkd.SpectralRegLoss',
                                  rank=5000))},
     r'spectral: SpectralRegLoss\(rank=5000\) on \d+-channel features '
     r'keeps every direction'),
    ('teacher input size', {'teacher.input_size': (32, 32)}, OK),
    ('teacher out_index', {'teacher.out_index': 0}, OK),
    ('student feature index', {'student_feature_index': -1}, OK),
    ('earlier student feature', {'student_feature_index': 4,
                                 'student_channels': 160}, OK),
    ('student_channels', {'student_channels': 640},
     r'student_channels = 640, but the student map has 1280'),
    ('teacher_channels', {'teacher_channels': 512},
     r'teacher_channels = 512, but the teacher map has 768'),
    ('projector in', {'projector.in_channels': 100},
     r'projector.in_channels = 100, but the teacher map has 768'),
    ('projector out', {'projector.out_channels': 100},
     r'projector.out_channels = 100, but the student map has 1280'),
    ('traditional with inverted channels', {
        'projector': dict(type='mmxtkd.TraditionalProjector',
                          in_channels=768, out_channels=1280)},
     r'projector.in_channels = 768, but the student map has 1280'),
    ('projector type', {'projector.type': 'mmxtkd.NoSuchProjector'},
     'NoSuchProjector'),
    ('loss type', {'distill_losses.fitnets.type': 'mmxtkd.NoSuchLoss'},
     'NoSuchLoss'),
    ('no loss', {'distill_losses': {}}, r'distill_losses'),
    ('no projector', {'projector': None},
     r'do not match; a projector maps one side'),
    ('projector without teacher', {'teacher': None}, r'teacher'),
    ('teacher feature', {'teacher.feature': 'no.such'}, r"'no.such'"),
    ('teacher out_index', {'teacher.out_index': 3}, r'out_index'),
    ('teacher model', {'teacher.model.type': 'mmpretrain.NoSuchNet'},
     'NoSuchNet'),
    ('teacher checkpoint', {'teacher.checkpoint': 'no/such.pth'},
     r'teacher checkpoint not found: no/such.pth'),
    ('student feature', {'student_feature': 'no.such'}, r"'no.such'"),
    ('student feature module', {'student_feature': 'student.decode_head'},
     r"'student.decode_head'"),
    ('student feature never called', {'student_feature': 'decode_head'},
     r"the student_feature 'decode_head' ran 0 times"),
    ('student feature of another size', {'student_feature': 'backbone.conv1'},
     r'student_channels = 1280, but the student map has 16 channels'),
    ('student feature index', {'student_feature_index': 9},
     r'student_feature_index'),
    ('spectral rank', {'distill_losses': dict(
        s=dict(type='mmxtkd.SpectralRegLoss', rank=0))}, r'rank'),
    ('loss weight type', {'distill_losses.fitnets.loss_weight': 'heavy'},
     r'loss_weight'),
]


def mutate(model: dict, changes: dict) -> dict:
    for dotted, value in changes.items():
        *parents, last = dotted.split('.')
        node = model
        for key in parents:
            node = node[key]
        node[last] = value
    return model


@pytest.fixture(autouse=True)
def cheap_weights(monkeypatch):
    """Constant initial weights: the random draws of the ViT-B teacher are
    most of a build's time, and their values are not what is tested."""
    for draw in ('uniform_', 'normal_'):
        monkeypatch.setattr(torch.Tensor, draw,
                            lambda t, *a, **k: t.fill_(0.01))


@pytest.mark.parametrize('name, changes, error', CASES,
                         ids=[c[0] for c in CASES])
def test_a_mutated_config_steps_or_names_what_is_wrong(name, changes, error):
    model = mutate(Config.fromfile(MAIN).model.to_dict(), changes)
    inputs, samples = depth_batch(2, (64, 64))

    def step():
        distiller = build_in_own_scope(MODELS, model)
        losses = distiller.loss(inputs, samples)
        sum(losses.values()).backward()
        return losses

    if error is None:
        losses = step()
        assert all(torch.isfinite(v) for v in losses.values()), losses
        assert any(k.startswith('loss_distill_') for k in losses)
    else:
        with pytest.raises(Exception, match=error):
            step()
