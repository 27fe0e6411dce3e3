"""Several named feature pairs in one CrossTaskDistiller: terms against a
manual computation, one forward per shared teacher, per-teacher input
sizes, the single-pair form unchanged, checkpoints, the spectral hook's
names, and the configuration errors."""
import copy

import pytest
import torch
import torch.nn.functional as F
from mmengine.optim import build_optim_wrapper
from mmpretrain.structures import DataSample

from mmxtkd.engine import SpectralRankHook
from mmxtkd.models import CrossTaskDistiller
from mmxtkd.models.alignment import resize_map

# backbone maps at 64x64 input: 16 ch 8x8, 32 ch 4x4, 64 ch 2x2
STUDENT = dict(
    type='mmpretrain.ImageClassifier',
    data_preprocessor=dict(num_classes=2, mean=[0, 0, 0], std=[1, 1, 1]),
    backbone=dict(type='ResNet', depth=18, base_channels=8, stem_channels=8,
                  out_indices=(1, 2, 3)),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(type='LinearClsHead', num_classes=2, in_channels=64))


def resnet_teacher(out_indices, **kwargs):
    return dict(type='mmxtkd.FrozenTeacher',
                model=dict(type='mmpretrain.ResNet', depth=18,
                           base_channels=4, stem_channels=4,
                           out_indices=out_indices), **kwargs)


# 'deep': two maps (8 ch at stride 8, 16 ch at stride 16) for two pairs;
# 'small': its own input size, 32x32, so its 32-channel map is 1x1
TEACHERS = dict(
    deep=resnet_teacher((1, 2), out_index=(0, 1), init_seed=0),
    small=resnet_teacher((3, ), input_size=(32, 32), init_seed=1))
FITNETS = dict(fitnets=dict(type='mmxtkd.FitNetsLoss'))
PAIRS = dict(
    early=dict(teacher='deep', teacher_out_index=0, student_feature_index=0,
               student_channels=16, teacher_channels=8,
               projector=dict(type='mmxtkd.InvertedProjector'),
               losses=FITNETS),
    middle=dict(teacher='deep', teacher_out_index=1, student_feature_index=1,
                student_channels=32, teacher_channels=16,
                projector=dict(type='mmxtkd.TraditionalProjector'),
                losses=dict(at=dict(type='mmxtkd.ATLoss'))),
    late=dict(teacher='small', teacher_channels=32,
              projector=dict(type='mmxtkd.InvertedProjector'),
              losses=FITNETS),
    free=dict(losses=dict(spectral=dict(type='mmxtkd.SpectralRegLoss',
                                        rank=2))))


def make(pairs=PAIRS, teachers=TEACHERS, **kwargs):
    torch.manual_seed(0)
    return CrossTaskDistiller(student=STUDENT, teachers=teachers,
                              distill_pairs=pairs, student_channels=64,
                              **kwargs)


def batch(n=4):
    torch.manual_seed(1)
    inputs = torch.randn(n, 3, 64, 64)
    samples = [DataSample().set_gt_label(i % 2) for i in range(n)]
    return inputs, samples


def test_each_pair_compares_its_own_maps():
    from mmxtkd.models.losses import SpectralRegLoss
    from mmxtkd.models.losses.attention_transfer import attention_map
    model = make()
    inputs, samples = batch()
    losses = model.loss(inputs, samples)
    assert sorted(k for k in losses if 'distill' in k) == [
        'loss_distill_early_fitnets', 'loss_distill_free_spectral',
        'loss_distill_late_fitnets', 'loss_distill_middle_at']
    s1, s2, s3 = model.student.backbone(inputs)
    deep = model.distill.teachers['deep'].encoder(inputs)
    small = model.distill.teachers['small'].encoder(
        F.interpolate(inputs, size=(32, 32), mode='bilinear',
                      align_corners=False))[0]
    pairs = model.distill.pairs
    # inverted: z_s against P(z_t), the teacher's map on the 8x8 grid
    early = F.mse_loss(s1, pairs['early'].projector(resize_map(deep[0],
                                                               (8, 8))))
    torch.testing.assert_close(losses['loss_distill_early_fitnets'], early)
    # traditional: P(z_s) against z_t on the student's 4x4 grid
    a_s = attention_map(pairs['middle'].projector(s2), 2.0)
    a_t = attention_map(resize_map(deep[1], (4, 4)), 2.0)
    torch.testing.assert_close(losses['loss_distill_middle_at'],
                               (a_s - a_t).pow(2).mean())
    # the 1x1 map of the 32x32 input, interpolated up to the 2x2 grid
    late = F.mse_loss(s3, pairs['late'].projector(
        small.expand(-1, -1, 2, 2)))
    torch.testing.assert_close(losses['loss_distill_late_fitnets'], late)
    torch.testing.assert_close(losses['loss_distill_free_spectral'],
                               SpectralRegLoss(rank=2)(s3))


def test_a_shared_teacher_runs_once_and_each_at_its_own_input_size():
    model = make()
    seen = {name: [] for name in TEACHERS}
    for name, teacher in model.distill.teachers.items():
        teacher.encoder.register_forward_hook(
            lambda m, args, out, name=name: seen[name].append(
                tuple(args[0].shape[-2:])))
    inputs, samples = batch()
    model.loss(inputs, samples)
    # 'deep' serves two pairs with one forward; 'small' sees 32x32
    assert seen == {'deep': [(64, 64)], 'small': [(32, 32)]}


def test_gradients_reach_every_projector_and_no_teacher():
    model = make()
    inputs, samples = batch()
    sum(v for k, v in model.loss(inputs, samples).items()
        if 'distill' in k).backward()
    for name in ('early', 'middle', 'late'):
        assert model.distill.pairs[name].projector.proj.weight.grad.abs(
        ).sum() > 0
    for teacher in model.distill.teachers.values():
        assert all(p.grad is None and not p.requires_grad
                   for p in teacher.encoder.parameters())


def test_checkpoint_and_optimizer_hold_every_projector_and_no_teacher():
    model = make()
    keys = [k for k in model.state_dict() if k.startswith('distill.')]
    assert keys == ['distill.pairs.early.projector.proj.weight',
                    'distill.pairs.middle.projector.proj.weight',
                    'distill.pairs.late.projector.proj.weight']
    optim = build_optim_wrapper(model, dict(optimizer=dict(type='SGD',
                                                           lr=0.1)))
    optimised = {id(p) for g in optim.optimizer.param_groups
                 for p in g['params']}
    for name in ('early', 'middle', 'late'):
        assert id(model.distill.pairs[name].projector.proj.weight) in \
            optimised
    for teacher in model.distill.teachers.values():
        assert not any(id(p) in optimised
                       for p in teacher.encoder.parameters())


def test_one_pair_given_as_a_pair_is_the_single_pair_model():
    """The single-pair keys and one named pair build the same projector
    (same seed) and give the same term, under the pair's name."""
    teacher = resnet_teacher((3, ), init_seed=2)
    projector = dict(type='mmxtkd.InvertedProjector')
    torch.manual_seed(0)
    single = CrossTaskDistiller(
        student=STUDENT, teacher=teacher, projector=projector,
        distill_losses=FITNETS, student_channels=64, teacher_channels=32)
    pair = make(dict(only=dict(teacher='t', teacher_channels=32,
                               projector=projector, losses=FITNETS)),
                dict(t=teacher))
    assert [k for k in single.state_dict() if k.startswith('distill')] == [
        'distill.pairs.main.projector.proj.weight']
    torch.testing.assert_close(
        single.distill.pairs['main'].projector.proj.weight,
        pair.distill.pairs['only'].projector.proj.weight)
    inputs, samples = batch()
    torch.testing.assert_close(
        single.loss(inputs, samples)['loss_distill_fitnets'],
        pair.loss(inputs, samples)['loss_distill_only_fitnets'])


def test_spectral_rank_hook_names_each_projector_by_its_pair():
    model = make()
    tags = [r['projector'] for r in SpectralRankHook().spectra(model)]
    assert tags == ['early', 'middle', 'late']


def test_task_gap_pairs_are_each_pairs_maps():
    model = make()
    inputs, samples = batch()
    pairs = model.feature_pairs(inputs, samples)
    assert {k: (tuple(s.shape), t if t is None else tuple(t.shape))
            for k, (s, t) in pairs.items()} == {
                'early': ((4, 16, 8, 8), (4, 8, 8, 8)),
                'middle': ((4, 32, 4, 4), (4, 16, 4, 4)),
                'late': ((4, 64, 2, 2), (4, 32, 2, 2)),
                'free': ((4, 64, 2, 2), None)}


def test_a_nan_teacher_is_named_among_several():
    model = make()
    optim = build_optim_wrapper(model, dict(optimizer=dict(type='SGD',
                                                           lr=0.1)))
    with torch.no_grad():
        next(model.distill.teachers['small'].encoder.parameters()).fill_(
            float('nan'))
    inputs, samples = batch()
    with pytest.raises(FloatingPointError,
                       match=r'loss_distill_late_fitnets = nan.*'
                       r"teachers\.small: the teacher's feature map was NaN"):
        model.train_step(dict(inputs=inputs, data_samples=samples), optim)


def with_pair(name, **changes):
    pairs = copy.deepcopy(PAIRS)
    pairs[name].update(changes)
    return pairs


@pytest.mark.parametrize('kwargs, message', [
    (dict(pairs=with_pair('late', teacher='vit')),
     r"distill_pairs\.late\.teacher = 'vit' is not one of the teachers "
     r'\(deep, small\)'),
    (dict(teachers=dict(TEACHERS, spare=resnet_teacher((3, )))),
     r'teachers\.spare is used by no pair'),
    (dict(
        pairs=with_pair(
            'middle',
            teacher='small',
            teacher_out_index=None,
            teacher_channels=32)),
     r'teachers\.deep\.out_index lists \[1\], which no pair takes'),
    (dict(pairs=with_pair('early', teacher_out_index=3)),
     r'distill_pairs\.early\.teacher_out_index = 3: teachers\.deep returns '
     r'the maps of out_index = \[0, 1\]'),
    (dict(pairs=with_pair('late', teacher_out_index=0)),
     r'distill_pairs\.late\.teacher_out_index = 0, but teachers\.small '
     r'returns one map'),
    (dict(pairs=with_pair('late', teacher=TEACHERS['small'])),
     r'distill_pairs\.late\.teacher must name one of the teachers'),
    (dict(
        pairs=dict(
            late=dict(
                PAIRS['late'],
                losses=dict(fitnets_spectral=FITNETS['fitnets'])),
            late_fitnets=dict(losses=PAIRS['free']['losses'])),
        teachers=dict(small=TEACHERS['small'])),
     r"the pairs 'late' and 'late_fitnets' would both log "
     r'loss_distill_late_fitnets_spectral'),
    (dict(pairs=dict(PAIRS, **{'a.b': PAIRS['free']})),
     r"distill_pairs: 'a\.b' is not a usable name"),
    (dict(pairs=with_pair('free', losses={})),
     r'distill_pairs\.free\.losses is empty'),
    (dict(pairs=with_pair('free', projecter=dict(type='x'))),
     r'distill_pairs\.free\.projecter: not a setting of a pair'),
    (dict(
        pairs=with_pair(
            'free', projector=dict(type='mmxtkd.InvertedProjector'))),
     r'distill_pairs\.free\.projector needs a teacher'),
    (dict(pairs=with_pair('free', student_feature='backbone.encoder')),
     r"distill_pairs\.free\.student_feature: the student ImageClassifier has "
     r"no submodule 'backbone\.encoder'"),
    (dict(pairs=PAIRS,
          teacher=TEACHERS['small']), r'teacher is given with distill_pairs'),
    (dict(pairs=PAIRS, distill_losses=FITNETS),
     r'distill_losses is given with distill_pairs'),
])
def test_configuration_errors_name_the_key(kwargs, message):
    pairs = kwargs.pop('pairs', PAIRS)
    teachers = kwargs.pop('teachers', TEACHERS)
    with pytest.raises(ValueError, match=message):
        make(pairs, teachers, **kwargs)


def test_teachers_without_pairs_is_an_error():
    with pytest.raises(ValueError, match='teachers is given without '
                       'distill_pairs'):
        CrossTaskDistiller(student=STUDENT, teachers=TEACHERS)


def test_a_pair_hooking_a_module_that_runs_twice_is_named():
    """The first block's ReLU runs twice per pass (after its first
    convolution and after the sum): the error names the pair's key."""
    pairs = with_pair('free', student_feature='backbone.layer1.0.relu')
    model = make(pairs)
    inputs, samples = batch()
    with pytest.raises(RuntimeError,
                       match=r"the distill_pairs\.free\.student_feature "
                       r"'backbone\.layer1\.0\.relu' ran 2 times during one "
                       r'loss pass; expected once'):
        model.loss(inputs, samples)
    bad_index = with_pair('early', student_feature_index=5)
    with pytest.raises(ValueError, match=r'distill_pairs\.early\.'
                       r"student_feature_index = 5, but 'backbone' returns "
                       r'3 outputs'):
        make(bad_index).loss(inputs, samples)
