"""CrossTaskDistiller giving REFILLED's losses what they require: pooled
embeddings, the batch's labels and the student's logits; the teacher's
class centres hook."""
import numpy as np
import pytest
import torch
from mmpretrain.structures import DataSample

from mmxtkd.engine import TeacherClassCentresHook
from mmxtkd.models import CrossTaskDistiller, Distillation
from mmxtkd.models.losses.refilled import pooled_embedding
from test_distiller import STUDENT, TEACHER

STAGE1 = dict(triplet=dict(type='mmxtkd.TripletProbabilityLoss', margin=2.0))
STAGE2 = dict(local=dict(type='mmxtkd.ClassMeanKDLoss'))


def make(losses, **kwargs):
    torch.manual_seed(0)
    return CrossTaskDistiller(student=STUDENT, teacher=TEACHER,
                              distill_losses=losses, student_feature='neck',
                              **kwargs)


def batch(labels=(0, 0, 1, 1, 0, 1)):
    inputs = torch.randn(len(labels), 3, 64, 64)
    return inputs, [DataSample().set_gt_label(c) for c in labels]


def test_the_losses_see_the_pooled_embeddings_labels_and_logits():
    model = make(STAGE2, student_logits='head.fc')
    seen = {}
    loss = model.distill.pairs['main'].losses['local']
    original = loss.forward

    def spy(pred, target, labels, logits):
        seen.update(pred=pred, target=target, labels=labels, logits=logits)
        return original(pred, target, labels, logits)

    loss.forward = spy
    inputs, samples = batch()
    losses = model.loss(inputs, samples)
    assert set(losses) == {'loss', 'loss_distill_local'}
    # the neck's (B, 64) embedding, the teacher's map averaged, the labels
    # of the data samples, and the head's logits of the same pass
    feats = model.student.extract_feat(inputs)
    torch.testing.assert_close(seen['pred'], feats[-1])
    teacher_map = model.distill.teachers['main'](inputs)
    torch.testing.assert_close(seen['target'], teacher_map.mean((2, 3)))
    assert seen['labels'].tolist() == [0, 0, 1, 1, 0, 1]
    torch.testing.assert_close(seen['logits'],
                               model.student.head(feats))


def test_stage1_trains_the_student_on_the_triplets_alone():
    model = make(STAGE1)
    inputs, samples = batch()
    losses = model.loss(inputs, samples)
    losses['loss_distill_triplet'].backward()
    grads = [p.grad for p in model.student.backbone.parameters()]
    assert any(g is not None and g.abs().sum() > 0 for g in grads)
    teacher = model.distill.teachers['main']
    assert all(p.grad is None for p in teacher.parameters())


def test_missing_requirements_are_named():
    with pytest.raises(ValueError, match="distill_losses.local needs the "
                       "student's logits: set student_logits"):
        make(STAGE2)
    with pytest.raises(ValueError, match="student_logits: the student "
                       "ImageClassifier has no submodule 'head.fcc'"):
        make(STAGE2, student_logits='head.fcc')
    model = make(STAGE1)
    inputs, _ = batch()
    with pytest.raises(ValueError, match='data samples have no gt_label'):
        model.loss(inputs, [DataSample() for _ in inputs])
    # a student that gives no labels (the GAN students' Distillation)
    distill = Distillation(STAGE1, teacher=TEACHER)
    with pytest.raises(ValueError, match=r'distill_losses.triplet '
                       r'\(TripletProbabilityLoss\) needs the labels'):
        distill(inputs, torch.randn(len(inputs), 64))


class _Runner:
    """What the hook reads of mmengine's Runner."""

    def __init__(self, model, batches):
        self.model, self.train_dataloader = model, batches


def test_class_centres_hook_sets_the_teachers_class_means():
    losses = dict(local=dict(type='mmxtkd.ClassMeanKDLoss',
                             centres='dataset', num_classes=2))
    model = make(losses, student_logits='head.fc')
    batches = []
    for labels in ((0, 1, 1), (0, 0, 1)):
        inputs, samples = batch(labels)
        batches.append(dict(inputs=list(inputs), data_samples=samples))
    TeacherClassCentresHook().before_train(_Runner(model, batches))
    centres = model.distill.pairs['main'].losses['local'].class_centres
    embs, labels = [], []
    for b in batches:
        data = model.data_preprocessor(b, training=False)
        embs.append(pooled_embedding(model.distill.teachers['main'](data['inputs']),
                                     ''))
        labels += [int(s.gt_label) for s in b['data_samples']]
    embs, labels = torch.cat(embs).numpy(), np.array(labels)
    for c in (0, 1):
        np.testing.assert_allclose(centres[c].numpy(),
                                   embs[labels == c].mean(0), rtol=1e-5)
    # then the loss runs on them; a class without a sample is refused
    inputs, samples = batch()
    assert torch.isfinite(model.loss(inputs, samples)['loss_distill_local'])
    model = make(dict(local=dict(losses['local'], num_classes=3)),
                 student_logits='head.fc')
    with pytest.raises(ValueError, match=r'classes \[2\] have no training'):
        TeacherClassCentresHook().before_train(_Runner(model, batches))
