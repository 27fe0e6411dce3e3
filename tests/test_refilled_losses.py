"""REFILLED's two losses against numpy computations written from the
paper's formulas, on hand-built batches with the mined triplets listed."""
import itertools

import numpy as np
import pytest
import torch

from mmxtkd.models.losses.refilled import (ClassMeanKDLoss,
                                           TripletProbabilityLoss,
                                           nearest_impostor_triplets,
                                           semi_hard_triplets)


def unit(x):
    return x / np.linalg.norm(x, axis=1, keepdims=True)


# four points on the unit circle (angles in degrees), classes 0 0 1 1
ANGLES = np.array([0.0, 40.0, 20.0, 100.0])
LABELS = np.array([0, 0, 1, 1])


def circle(angles):
    r = np.deg2rad(angles)
    return np.stack([np.cos(r), np.sin(r)], 1)


def chord(a, b):
    return 2 * np.sin(np.deg2rad(abs(a - b)) / 2)


def test_semi_hard_triplets_are_the_listed_ones():
    emb = torch.tensor(circle(ANGLES))
    dist = torch.cdist(emb, emb)
    labels = torch.tensor(LABELS)
    # by hand, chords 2 sin(angle / 2): (1, 0) is 0.684 apart, impostor 3 at
    # chord 60 = 1.0 (gap 0.316); (3, 2) 1.286 apart, impostor 0 at chord
    # 100 = 1.532 (gap 0.246); every other gap is negative or above 0.8
    mined = semi_hard_triplets(dist, labels, 0.4)
    assert [tuple(map(int, t)) for t in zip(*mined)] == [(1, 0, 3),
                                                         (3, 2, 0)]
    assert semi_hard_triplets(dist, labels, 0.2)[0].numel() == 0
    # and the rule itself, by brute force, on another margin
    expected = [(i, j, k) for i, j, k in itertools.permutations(range(4), 3)
                if LABELS[i] == LABELS[j] != LABELS[k] and
                chord(ANGLES[i], ANGLES[j]) < chord(ANGLES[i], ANGLES[k]) <
                chord(ANGLES[i], ANGLES[j]) + 0.9]
    mined = semi_hard_triplets(dist, labels, 0.9)
    assert [tuple(map(int, t)) for t in zip(*mined)] == expected


def test_nearest_impostor_rule_by_hand():
    emb = torch.tensor(circle(ANGLES))
    dist = torch.cdist(emb, emb)
    got = [tuple(map(int, t)) for t in zip(*nearest_impostor_triplets(
        dist, torch.tensor(LABELS)))]
    # (0,1): d 0.684; impostors 2 (0.347), 3 (1.532): nearest farther = 3
    # (1,0): d 0.684; impostors 2 (0.347), 3 (1.0): nearest farther = 3
    # (2,3): d 1.286; impostors 0 (0.347), 1 (0.347): none farther ->
    #        the farthest, a tie of 0 and 1 broken by the first: 0
    # (3,2): d 1.286; impostors 0 (1.532), 1 (1.0): nearest farther = 0
    assert got == [(0, 1, 3), (1, 0, 3), (2, 3, 0), (3, 2, 0)]


def bernoulli_kl(p, q):
    return p * np.log(p / q) + (1 - p) * np.log((1 - p) / (1 - q))


@pytest.mark.parametrize('mining', ['semi_hard', 'nearest_impostor'])
def test_triplet_loss_is_the_mean_bernoulli_kl(mining):
    rng = np.random.default_rng(0)
    labels = np.array([0, 0, 0, 1, 1, 2, 2, 2])
    student = rng.normal(size=(8, 5))
    teacher = rng.normal(size=(8, 7))
    loss = TripletProbabilityLoss(tau=0.5, margin=0.5, mining=mining,
                                  loss_weight=3.0)
    s, t = unit(student), unit(teacher)
    triplets = loss.mine(torch.tensor(s), torch.tensor(labels))
    assert len(triplets[0]) > 0
    d = lambda e, a, b: np.linalg.norm(e[a] - e[b])  # noqa: E731
    kls = []
    for i, j, k in zip(*(x.tolist() for x in triplets)):
        p_s = 1 / (1 + np.exp(-(d(s, i, k) - d(s, i, j)) / 0.5))
        p_t = 1 / (1 + np.exp(-(d(t, i, k) - d(t, i, j)) / 0.5))
        kls.append(bernoulli_kl(p_t, p_s))
    pred = torch.tensor(student, requires_grad=True)
    value = loss(pred, torch.tensor(teacher), torch.tensor(labels))
    assert value.item() == pytest.approx(3.0 * np.mean(kls), rel=1e-6)
    value.backward()
    assert torch.isfinite(pred.grad).all() and pred.grad.abs().sum() > 0


def test_a_batch_without_triplets_gives_zero():
    loss = TripletProbabilityLoss()
    pred = torch.randn(4, 3, requires_grad=True)
    value = loss(pred, torch.randn(4, 6), torch.zeros(4, dtype=torch.long))
    assert value.item() == 0.0
    value.backward()
    assert (pred.grad == 0).all()
    with pytest.raises(ValueError, match='4 student embeddings, 4 teacher '
                       'embeddings and 3 labels'):
        loss(pred, torch.randn(4, 6), torch.zeros(3, dtype=torch.long))


def class_mean_kd_reference(teacher, labels, logits, tau, reduction,
                            form='poster'):
    """The poster's formulas (or the authors' code's teacher
    probabilities: the raw embedding times the unit centres), in numpy."""
    t = teacher
    present = np.unique(labels)
    centres = np.stack([t[labels == c].mean(0) for c in present])
    if form == 'poster':
        scores = -((t[:, None, :] - centres[None]) ** 2).sum(-1)
    else:
        unit = centres / np.sqrt((centres ** 2).sum(1, keepdims=True))
        scores = np.einsum('bc,kc->bk', t, unit)
    p = np.exp(scores / tau)
    p /= p.sum(1, keepdims=True)
    z = logits[:, present] / tau
    log_q = z - np.log(np.exp(z).sum(1, keepdims=True))
    kl = (p * (np.log(p) - log_q)).sum()
    count = len(labels) * (len(present) if reduction == 'mean' else 1)
    return kl / count


@pytest.mark.parametrize('labels', [
    [0, 3, 3, 5, 5, 5],   # class 0 has a single sample
    [2, 2, 2, 2],         # one class: p_T is 1, the KL is -log q
])
@pytest.mark.parametrize('reduction', ['batchmean', 'mean'])
def test_class_mean_kd_against_the_formulas(labels, reduction):
    rng = np.random.default_rng(1)
    labels = np.array(labels)
    teacher = rng.normal(size=(len(labels), 6))
    logits = rng.normal(size=(len(labels), 7)) * 3
    loss = ClassMeanKDLoss(tau=2.0, reduction=reduction, loss_weight=5.0)
    student_logits = torch.tensor(logits, requires_grad=True)
    value = loss(None, torch.tensor(teacher), torch.tensor(labels),
                 student_logits)
    expected = 5.0 * class_mean_kd_reference(teacher, labels, logits, 2.0,
                                             reduction)
    assert value.item() == pytest.approx(expected, rel=1e-6)
    value.backward()
    absent = np.setdiff1d(np.arange(7), labels)
    # only the present classes' logits are distilled
    assert (student_logits.grad[:, absent] == 0).all()


def test_the_codes_teacher_probabilities_against_the_formula():
    """The authors' code's p_T, by hand, and flatter than the poster's on
    the same embeddings (a teacher embedding of norm about 10)."""
    rng = np.random.default_rng(3)
    labels = np.array([0, 0, 1, 1, 2, 2, 2, 4])
    teacher = rng.normal(size=(len(labels), 16)) * 2.5
    logits = rng.normal(size=(len(labels), 5))
    code = ClassMeanKDLoss(teacher_probabilities='code')
    value = code(None, torch.tensor(teacher), torch.tensor(labels),
                 torch.tensor(logits))
    assert value.item() == pytest.approx(class_mean_kd_reference(
        teacher, labels, logits, 2.0, 'batchmean', form='code'), rel=1e-6)
    assert value.item() != pytest.approx(class_mean_kd_reference(
        teacher, labels, logits, 2.0, 'batchmean'), rel=1e-2)

    def top(form):
        centres = np.stack([teacher[labels == c].mean(0) for c in
                            np.unique(labels)])
        if form == 'poster':
            s = -((teacher[:, None] - centres[None]) ** 2).sum(-1)
        else:
            unit = centres / np.linalg.norm(centres, axis=1, keepdims=True)
            s = teacher @ unit.T
        p = np.exp((s - s.max(1, keepdims=True)) / 2)
        return (p / p.sum(1, keepdims=True)).max(1).mean()
    assert top('code') < top('poster')
    with pytest.raises(ValueError, match="'poster' or 'code'"):
        ClassMeanKDLoss(teacher_probabilities='paper')


def test_dataset_centres_and_epoch_decay(monkeypatch):
    from mmengine.logging import MessageHub
    loss = ClassMeanKDLoss(centres='dataset', num_classes=4,
                           epoch_decay=0.5, loss_weight=8.0)
    labels = torch.tensor([1, 3])
    with pytest.raises(RuntimeError, match='TeacherClassCentresHook'):
        loss(None, torch.randn(2, 3), labels, torch.randn(2, 4))
    centres = torch.nn.functional.normalize(torch.randn(4, 3), dim=1)
    loss.class_centres = centres
    teacher, logits = torch.randn(2, 3), torch.randn(2, 4)
    MessageHub.get_current_instance().update_info('epoch', 2)
    try:
        value = loss(None, teacher, labels, logits)
    finally:
        MessageHub.get_current_instance().update_info('epoch', 0)
    p = torch.softmax(-torch.cdist(teacher, centres[[1, 3]]) ** 2 / 2, 1)
    log_q = torch.log_softmax(logits[:, [1, 3]] / 2, 1)
    expected = 8.0 * 0.25 * (p * (p.log() - log_q)).sum() / 2
    assert value.item() == pytest.approx(expected.item(), rel=1e-5)
    # the centres travel with the state dict, of any shape
    fresh = ClassMeanKDLoss(centres='dataset', num_classes=4)
    fresh.load_state_dict(loss.state_dict())
    torch.testing.assert_close(fresh.class_centres, centres)
    with pytest.raises(ValueError, match='num_classes = 4, but the logits '
                       'have 5'):
        loss(None, teacher, labels, torch.randn(2, 5))


def test_logit_kd_is_hintons_against_numpy():
    from mmxtkd.models.losses import LogitKDLoss
    rng = np.random.default_rng(2)
    teacher, student = rng.normal(size=(5, 4)) * 3, rng.normal(size=(5, 4))

    def softmax(z):
        e = np.exp(z - z.max(1, keepdims=True))
        return e / e.sum(1, keepdims=True)

    p, q = softmax(teacher / 4), softmax(student / 4)
    expected = 0.9 * 16 * (p * np.log(p / q)).sum(1).mean()
    value = LogitKDLoss(tau=4, loss_weight=0.9)(
        None, torch.tensor(teacher), torch.tensor(student))
    assert value.item() == pytest.approx(expected, rel=1e-6)
    with pytest.raises(ValueError, match='standard KD needs the same'):
        LogitKDLoss()(None, torch.randn(5, 4), torch.randn(5, 3))


def test_both_losses_give_the_same_gradient_every_time():
    # a training run must repeat itself: no sum in an arbitrary order
    torch.manual_seed(0)
    student, teacher = torch.randn(25, 64), torch.randn(25, 32)
    labels, logits = torch.arange(25) % 5, torch.randn(25, 7)
    for loss, args in (
            (TripletProbabilityLoss(margin=2.0), (teacher, labels)),
            (ClassMeanKDLoss(), (teacher, labels))):
        grads = []
        for _ in range(5):
            pred = student.clone().requires_grad_(True)
            logit = logits.clone().requires_grad_(True)
            extra = (logit, ) if isinstance(loss, ClassMeanKDLoss) else ()
            loss(pred, *args, *extra).backward()
            grads.append(pred.grad if not extra else logit.grad)
        assert grads[0].abs().sum() > 0
        assert all(torch.equal(g, grads[0]) for g in grads)


def run_epochs(loss, batches, *args):
    """Call ``loss`` on each (epoch, labels) of ``batches`` as a training
    loop would, the message hub's epoch set."""
    from mmengine.logging import MessageHub
    hub = MessageHub.get_instance('degenerate-batches')
    hub.update_info('cfg', "train_dataloader = dict(batch_size=4, sampler="
                    "dict(type='DefaultSampler', shuffle=False))\n")
    for epoch, labels in batches:
        hub.update_info('epoch', epoch)
        n = len(labels)
        loss(torch.randn(n, 3), torch.randn(n, 6), torch.tensor(labels),
             *[a(n) for a in args])


@pytest.mark.parametrize('loss, minimum, args', [
    (TripletProbabilityLoss(), 3, ()),
    (ClassMeanKDLoss(), 2, (lambda n: torch.randn(n, 5), )),
])
def test_a_batch_too_small_for_the_loss_fails_at_the_first_step(
        loss, minimum, args):
    name = type(loss).__name__
    with pytest.raises(ValueError, match=rf'{name} needs .* so at least '
                       rf'{minimum} samples, but the batch has 1: the loss '
                       'would be 0 at every step'):
        run_epochs(loss, [(0, [0])], *args)
    run_epochs(loss, [(0, [0, 1, 0, 1]), (0, [0])], *args)  # a last batch


def test_degenerate_batches_are_counted_and_a_whole_epoch_of_them_fails():
    """Stage 2 (ClassMeanKDLoss) on batches of one class, as a sampler that
    does not shuffle a sorted data set gives: a mixed epoch is logged with
    its count; an epoch of only such batches is an error naming the loss,
    the batch size and the sampler."""
    logs = []
    import mmxtkd.models.losses.degenerate_batches as module
    original = module.print_log
    module.print_log = lambda message, **kwargs: logs.append(message)
    logits = (lambda n: torch.randn(n, 5), )
    try:
        loss = ClassMeanKDLoss()
        run_epochs(loss, [(0, [0, 0, 1, 1]), (0, [1, 1, 1, 1]),
                          (1, [0, 1, 0, 1])], *logits)
        assert logs == ['ClassMeanKDLoss: 1 of 2 batches of epoch 0 had no '
                        'two classes; the loss was 0 on them']
        with pytest.raises(RuntimeError, match=r"ClassMeanKDLoss was 0 on all "
                           r"2 batches of epoch 2 \(batches of 4 samples, "
                           r"train_dataloader.sampler = \{'type': "
                           r"'DefaultSampler', 'shuffle': False\}\)"):
            run_epochs(loss, [(2, [0, 0, 0, 0]), (2, [1, 1, 1, 1]),
                              (3, [0, 1, 0, 1])], *logits)
    finally:
        module.print_log = original
