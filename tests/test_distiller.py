"""CrossTaskDistiller: loss terms against a manual computation, modes,
export."""
import copy

import pytest
import torch
import torch.nn.functional as F
from mmengine.optim import build_optim_wrapper
from mmengine.registry import MODELS
from mmpretrain.structures import DataSample

from mmxtkd.models import CrossTaskDistiller, SpectralRegLoss
from mmxtkd.registry import build_in_own_scope

STUDENT = dict(
    type='mmpretrain.ImageClassifier',
    data_preprocessor=dict(num_classes=2, mean=[0, 0, 0], std=[1, 1, 1]),
    backbone=dict(type='ResNet', depth=18, base_channels=8, stem_channels=8,
                  out_indices=(3, )),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(type='LinearClsHead', num_classes=2, in_channels=64))
TEACHER = dict(
    type='mmxtkd.FrozenTeacher',
    model=dict(type='mmpretrain.ResNet', depth=18, base_channels=4,
               stem_channels=4, out_indices=(2, )),  # 16 channels, stride 16
    init_seed=0)


def make(projector, losses=None, teacher=TEACHER):
    torch.manual_seed(0)
    return CrossTaskDistiller(
        student=STUDENT, teacher=teacher, projector=projector,
        distill_losses=losses or dict(fitnets=dict(type='mmxtkd.FitNetsLoss')))


def batch(n=4):
    inputs = torch.randn(n, 3, 64, 64)
    samples = [DataSample().set_gt_label(i % 2) for i in range(n)]
    return inputs, samples


def teacher_map(model, inputs):
    z_t = model.distill.teachers['main'](inputs)
    return F.interpolate(
        z_t, size=(2, 2), mode='bilinear', align_corners=False)


def test_inverted_compares_student_with_projected_teacher():
    model = make(dict(type='mmxtkd.InvertedProjector', in_channels=16,
                      out_channels=64))
    inputs, samples = batch()
    losses = model.loss(inputs, samples)
    assert set(losses) == {'loss', 'loss_distill_fitnets'}
    z_s = model.student.backbone(inputs)[-1]
    projector = model.distill.pairs['main'].projector
    expected = F.mse_loss(z_s, projector(teacher_map(model, inputs)))
    torch.testing.assert_close(losses['loss_distill_fitnets'], expected)
    student_only = model.student.loss(inputs, samples)
    torch.testing.assert_close(losses['loss'], student_only['loss'])


def test_traditional_compares_projected_student_with_teacher():
    model = make(dict(type='mmxtkd.TraditionalProjector', in_channels=64,
                      out_channels=16))
    inputs, samples = batch()
    losses = model.loss(inputs, samples)
    z_s = model.student.backbone(inputs)[-1]
    expected = F.mse_loss(
        model.distill.pairs['main'].projector(z_s), teacher_map(model, inputs))
    torch.testing.assert_close(losses['loss_distill_fitnets'], expected)


def test_gradients_reach_student_and_projector_but_not_teacher():
    model = make(dict(type='mmxtkd.InvertedProjector', in_channels=16,
                      out_channels=64))
    inputs, samples = batch()
    losses = model.loss(inputs, samples)
    (losses['loss_distill_fitnets']).backward()
    projector = model.distill.pairs['main'].projector
    assert projector.proj.weight.grad.abs().sum() > 0
    assert model.student.backbone.conv1.weight.grad.abs().sum() > 0
    assert all(p.grad is None
               for p in model.distill.teachers['main'].encoder.parameters())


def saved_for_backward(fn) -> int:
    """Bytes of the tensors autograd saves while ``fn`` runs."""
    total = 0

    def pack(t):
        nonlocal total
        total += t.numel() * t.element_size()
        return t
    with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
        fn()
    return total


@pytest.mark.parametrize('inference_mode', [True, False])
def test_the_backward_pass_keeps_no_teacher_activation(inference_mode):
    """A distill step holds for its backward what the student step holds,
    plus the projector's weight and input and the loss's operands, counted
    exactly; a teacher run with autograd would hold far more."""
    model = make(dict(type='mmxtkd.InvertedProjector', in_channels=16,
                      out_channels=64),
                 teacher=dict(TEACHER, inference_mode=inference_mode))
    inputs, samples = batch()
    student = saved_for_backward(lambda: model.student.loss(inputs, samples))
    distill = saved_for_backward(lambda: model.loss(inputs, samples))
    # float32: the projector's weight (64, 16) and input (4, 16, 2, 2), the
    # MSE's two (4, 64, 2, 2) operands
    assert distill - student == 4 * (64 * 16 + 4 * 16 * 2 * 2
                                     + 2 * 4 * 64 * 2 * 2)
    encoder = copy.deepcopy(
        model.distill.teachers['main'].encoder).requires_grad_()
    with_autograd = saved_for_backward(lambda: encoder(inputs))
    assert with_autograd > 50 * (distill - student)


def test_optimizer_and_checkpoint_hold_no_teacher_weights(tmp_path):
    model = make(dict(type='mmxtkd.InvertedProjector', in_channels=16,
                      out_channels=64))
    optim = build_optim_wrapper(model, dict(
        type='OptimWrapper', optimizer=dict(type='AdamW', lr=1e-3)))
    in_optim = {
        id(p)
        for g in optim.optimizer.param_groups
        for p in g['params']
    }
    teacher_params = {
        id(p)
        for p in model.distill.teachers['main'].encoder.parameters()
    }
    assert teacher_params and not teacher_params & in_optim
    assert id(model.distill.pairs['main'].projector.proj.weight) in in_optim
    assert not any(k.startswith('distill.teacher') for k in model.state_dict())

    path = tmp_path / 'student.pth'
    model.export_student(str(path))
    student = build_in_own_scope(MODELS, STUDENT)
    state = torch.load(path, weights_only=True)['state_dict']
    student.load_state_dict(state, strict=True)
    inputs, _ = batch(2)
    model.eval()
    student.eval()
    torch.testing.assert_close(student(inputs), model(inputs))


def test_predict_mode_is_the_students():
    model = make(None, losses=dict(pkt=dict(type='mmxtkd.PKTLoss')))
    model.eval()
    inputs, samples = batch()
    ours = model(inputs, samples, mode='predict')
    theirs = model.student(inputs, samples, mode='predict')
    for a, b in zip(ours, theirs):
        torch.testing.assert_close(a.pred_score, b.pred_score)


def test_teacher_free_spectral_loss_on_student_features():
    model = make(
        None,
        teacher=None,
        losses=dict(spectral=dict(type='mmxtkd.SpectralRegLoss', rank=2)))
    inputs, samples = batch()
    losses = model.loss(inputs, samples)
    z_s = model.student.backbone(inputs)[-1]
    torch.testing.assert_close(losses['loss_distill_spectral'],
                               SpectralRegLoss(rank=2)(z_s))
    torch.testing.assert_close(model.student_features(inputs), {'main': z_s})


def test_wrong_projector_channels_name_the_mismatch():
    model = make(dict(type='mmxtkd.InvertedProjector', in_channels=768,
                      out_channels=64))
    inputs, samples = batch()
    with pytest.raises(ValueError, match=r'projector.in_channels = 768, but '
                       r'the teacher map has 16 channels'):
        model.loss(inputs, samples)


def test_a_teacher_map_that_cannot_be_aligned_names_both_shapes():
    from mmxtkd.models import Distillation
    teacher = dict(type='mmxtkd.FrozenTeacher',
                   model=dict(type='mmxtkd.TorchvisionFeatures',
                              name='resnet18', node='layer4'))
    distill = Distillation(
        dict(l2=dict(type='mmxtkd.FitNetsLoss')),
        teacher,
        dict(type='mmxtkd.InvertedProjector'),
        student_channels=8,
        teacher_channels=512)
    with pytest.raises(ValueError, match=r'the teacher map \(2, 512, 1, 1\) '
                       r'cannot be aligned to the student map \(2, 16, 8\)'):
        distill(torch.randn(2, 3, 32, 32), torch.randn(2, 16, 8))  # tokens
    with pytest.raises(ValueError, match=r'\(2, 512, 1, 1\) cannot be '
                       r'aligned to the student map \(3, 8, 4, 4\)'):
        distill(torch.randn(2, 3, 32, 32), torch.randn(3, 8, 4, 4))
    # a pooled teacher output (an embedding) aligns only with a student
    # embedding
    pooled = dict(teacher, model=dict(teacher['model'], node='flatten'))
    with pytest.raises(ValueError, match=r'the teacher map \(2, 512\) cannot '
                       r'be aligned to the student map \(2, 8, 4, 4\)'):
        Distillation(dict(l2=dict(type='mmxtkd.FitNetsLoss')), pooled,
                            dict(type='mmxtkd.InvertedProjector'), 8, 512)(
            torch.randn(2, 3, 32, 32), torch.randn(2, 8, 4, 4))


def test_config_errors():
    with pytest.raises(ValueError, match="no submodule 'encoder'"):
        CrossTaskDistiller(student=STUDENT, teacher=TEACHER,
                           distill_losses=dict(at=dict(type='mmxtkd.ATLoss')),
                           student_feature='encoder')
    with pytest.raises(ValueError, match='without distillation losses'):
        CrossTaskDistiller(student=STUDENT, teacher=TEACHER, distill_losses={})
    with pytest.raises(ValueError, match='needs a teacher'):
        make(dict(type='mmxtkd.InvertedProjector', in_channels=1,
                  out_channels=1), teacher=None)


def test_without_teacher_and_losses_it_is_the_student_alone():
    model = CrossTaskDistiller(student=STUDENT)
    inputs, samples = batch()
    losses = model.loss(inputs, samples)
    assert set(losses) == {'loss'}
    torch.testing.assert_close(losses['loss'],
                               model.student.loss(inputs, samples)['loss'])


@pytest.mark.parametrize('projector, shape', [
    (dict(type='mmxtkd.InvertedProjector'), (64, 16)),
    (dict(type='mmxtkd.TraditionalProjector'), (16, 64)),
    (dict(type='mmxtkd.ProjectorEnsemble'), (16, 64)),
    (dict(type='mmxtkd.ProjectorEnsemble', direction='teacher_to_student'),
     (64, 16)),
])
def test_projector_channels_follow_its_direction(projector, shape):
    model = CrossTaskDistiller(
        student=STUDENT, teacher=TEACHER, projector=projector,
        student_channels=64, teacher_channels=16,
        distill_losses=dict(fitnets=dict(type='mmxtkd.FitNetsLoss')))
    projector = model.distill.pairs['main'].projector
    assert all(m.shape == shape for m in projector.projection_matrices())
    inputs, samples = batch()
    assert torch.isfinite(model.loss(inputs, samples)['loss_distill_fitnets'])


def test_missing_channels_are_named():
    with pytest.raises(ValueError, match='needs in_channels'):
        CrossTaskDistiller(
            student=STUDENT, teacher=TEACHER, student_channels=64,
            projector=dict(type='mmxtkd.InvertedProjector'),
            distill_losses=dict(fitnets=dict(type='mmxtkd.FitNetsLoss')))


def test_a_non_finite_loss_stops_training_before_the_step():
    """mmengine would step on a NaN loss and every weight would turn NaN:
    the step is refused with the terms and the iteration named, and no
    weight changes. A finite step goes through the same check."""
    from mmengine.logging import MessageHub
    model = make(dict(type='mmxtkd.InvertedProjector', in_channels=16,
                      out_channels=64))
    optim = build_optim_wrapper(model, dict(optimizer=dict(type='SGD',
                                                           lr=0.1)))
    MessageHub.get_instance('mmxtkd-test-finite').update_info('iter', 41)
    inputs, samples = batch()
    before = [p.detach().clone() for p in model.parameters()]
    model.train_step(dict(inputs=inputs, data_samples=samples), optim)
    assert any(not torch.equal(p, b) for p, b in zip(model.parameters(),
                                                     before))
    # the projector diverged: only the distillation term is infinite
    with torch.no_grad():
        model.distill.pairs['main'].projector.proj.weight.fill_(float('inf'))
    before = [p.detach().clone() for p in model.parameters()]
    with pytest.raises(FloatingPointError,
                       match=r'non-finite loss at iteration 42: '
                       r'loss_distill_fitnets = (inf|nan) \(finite: loss = '
                       r'[0-9.]+\)'):
        model.train_step(dict(inputs=inputs, data_samples=samples), optim)
    assert all(torch.equal(p, b) for p, b in zip(model.parameters(), before))
    # a NaN image: the task term and the distillation term both
    with torch.no_grad():
        model.distill.pairs['main'].projector.proj.weight.normal_()
    inputs[0, 0, 0, 0] = float('nan')
    with pytest.raises(FloatingPointError, match=r'iteration 42: loss = nan, '
                       r'loss_distill_fitnets = nan\. Training stops'):
        model.train_step(dict(inputs=inputs, data_samples=samples), optim)


def test_a_teacher_that_turns_out_nan_is_named_not_the_learning_rate():
    """The teacher's map is NaN (weights broken after loading, here): the
    error names the teacher's weights and says a lower learning rate cannot
    help; a finite teacher keeps the learning-rate advice."""
    model = make(dict(type='mmxtkd.InvertedProjector', in_channels=16,
                      out_channels=64))
    optim = build_optim_wrapper(model, dict(optimizer=dict(type='SGD',
                                                           lr=0.1)))
    inputs, samples = batch()
    with torch.no_grad():
        model.distill.pairs['main'].projector.proj.weight.fill_(float('inf'))
    with pytest.raises(FloatingPointError, match='lower learning rate'):
        model.train_step(dict(inputs=inputs, data_samples=samples), optim)
    with torch.no_grad():
        model.distill.pairs['main'].projector.proj.weight.normal_()
        next(model.distill.teachers['main'].encoder.parameters()).fill_(float('nan'))
    with pytest.raises(FloatingPointError,
                       match=r"loss_distill_fitnets = nan .*the teacher's "
                       r'feature map was NaN or Inf for this batch \(teacher '
                       r'weights: random initialisation\).*cannot help'):
        model.train_step(dict(inputs=inputs, data_samples=samples), optim)
