"""The distillation terms of one student feature map: projector + losses
(:class:`FeaturePair`), with its own teacher (:class:`FeatureDistillation`)."""
from typing import Dict, Iterator, Optional, Tuple

import torch
import torch.nn as nn

from mmxtkd.registry import MODELS
from mmxtkd.utils import build_in_own_scope
from .alignment import align_to_student
from .projectors import build_projector


class FeaturePair(nn.Module):
    """Projector + losses comparing a student map with a teacher map.

    The projector, if any, is applied on the side its ``direction`` names:
    inverted (``teacher_to_student``) compares ``z_s`` with ``P(z_t)``,
    traditional compares ``P(z_s)`` with ``z_t``. Without a teacher map the
    losses see ``(z_s, None)`` (teacher-free, e.g. ``SpectralRegLoss``).

    A loss that needs more than the two maps names it in a ``requires``
    attribute (``('labels', 'logits')``: the batch's class indices (B,),
    the student's logits (B, K)) and gets each as a keyword argument of
    that name; the caller passes them (:class:`CrossTaskDistiller` does for
    classifiers), and a loss whose need is not given is an error naming it.

    Args:
        losses: ``{name: loss config}``; each gives ``<term_prefix><name>``.
        projector: an Inverted/Traditional projector or ProjectorEnsemble
            config, or None; its channels default from the two below.
        student_channels, teacher_channels: C_s and C_t of the pair.
        term_prefix: the loss terms' prefix (``'loss_distill_'``, or
            ``'loss_distill_<pair>_'`` for one of several pairs).
        config_key: where the pair's settings sit in the model config, for
            error messages (``''``: the distiller's own ``distill_losses``,
            ``student_channels``...; ``'distill_pairs.<pair>.'``: a pair's
            ``losses``, ``student_channels``...).
    """

    def __init__(self, losses: Dict[str, dict],
                 projector: Optional[dict] = None,
                 student_channels: Optional[int] = None,
                 teacher_channels: Optional[int] = None,
                 term_prefix: str = 'loss_distill_',
                 config_key: str = '') -> None:
        super().__init__()
        self.config_key = config_key
        self.term_prefix = term_prefix
        self.projector = (build_projector(projector, student_channels,
                                          teacher_channels)
                          if projector is not None else None)
        self.losses = nn.ModuleDict({
            name: build_in_own_scope(MODELS, cfg)
            for name, cfg in losses.items()
        })
        for name, loss in self.losses.items():
            weight = getattr(loss, 'loss_weight', 1.0)
            if isinstance(weight, bool) or not isinstance(weight,
                                                          (int, float)):
                raise TypeError(f'{self.losses_key}.{name}.loss_weight must '
                                f'be a number, got {weight!r}')
        self.student_channels = student_channels
        self.teacher_channels = teacher_channels
        # a loss that needs more channels than either side has (the map it
        # sees has one side's) is refused now rather than at the first step
        known = [c for c in (student_channels, teacher_channels) if c]
        for name, loss in self.losses.items():
            if known and hasattr(loss, 'check_channels'):
                loss.check_channels(max(known), f'{self.losses_key}.{name}: ')
        #: what the losses need besides the maps (``requires``), by loss
        self.requirements: Dict[str, Tuple[str, ...]] = {
            name: tuple(getattr(loss, 'requires', ()))
            for name, loss in self.losses.items()}
        #: set to keep the next ``terms`` call's compared maps (detached) in
        #: ``last_maps`` (SpectralRankHook's loss decomposition)
        self.keep_maps = False
        self.last_maps: Optional[Tuple[torch.Tensor, torch.Tensor]] = None

    @property
    def losses_key(self) -> str:
        """The config key of this pair's losses."""
        return f'{self.config_key}losses' if self.config_key else \
            'distill_losses'

    def term_names(self) -> Tuple[str, ...]:
        """The keys of the loss dict this pair adds."""
        return tuple(self.term_prefix + name for name in self.losses)

    def _check_channels(self, side: str, feat: torch.Tensor) -> None:
        """The map of ``side`` against the channels the config gives for it
        (``<side>_channels`` and the projector's end that takes or makes it),
        naming the config key that disagrees."""
        given = [(f'{side}_channels', getattr(self, f'{side}_channels'))]
        if self.projector is not None:
            takes = (self.projector.direction == 'teacher_to_student') == (
                side == 'teacher')
            given.append(('projector.in_channels' if takes else
                          'projector.out_channels',
                          self.projector.in_channels if takes else
                          self.projector.out_channels))
        where = ('the module student_feature names' if side == 'student'
                 else "the teacher's feature / out_index")
        for key, channels in given:
            if channels is not None and feat.shape[1] != channels:
                raise ValueError(
                    f'{self.config_key}{key} = {channels}, but the {side} '
                    f'map has {feat.shape[1]} channels (shape '
                    f'{tuple(feat.shape)}, from {where}): the config '
                    'disagrees with the model')

    def terms(self, student_feat: torch.Tensor,
              teacher_feat: Optional[torch.Tensor],
              **extras: torch.Tensor) -> Dict[str, torch.Tensor]:
        """The loss terms of a student map (B, C_s, H, W) or embedding
        (B, C_s) and a teacher map already on its grid (None teacher-free):
        the projector, then each loss, given the ``extras`` it requires."""
        if student_feat.dim() == 4:
            self._check_channels('student', student_feat)
        pred, target = student_feat, teacher_feat
        if teacher_feat is not None:
            self._check_channels('teacher', teacher_feat)
            if self.projector is not None:
                if self.projector.direction == 'teacher_to_student':
                    target = self.projector(teacher_feat)
                else:
                    pred = self.projector(student_feat)
            if self.keep_maps:
                self.last_maps = (pred.detach(), target.detach())
        terms = {}
        for name, loss in self.losses.items():
            needs = self.requirements[name]
            missing = [k for k in needs if extras.get(k) is None]
            if missing:
                raise ValueError(
                    f'{self.losses_key}.{name} ({type(loss).__name__}) needs '
                    f'the {" and the ".join(missing)} of the batch, which '
                    'this student does not give (a classifier distilled by '
                    'CrossTaskDistiller gives labels, and logits with '
                    'student_logits set)')
            terms[self.term_prefix + name] = loss(
                pred, target, **{k: extras[k] for k in needs})
        return terms


class FeatureDistillation(FeaturePair):
    """Teacher + projector + losses for one student feature map.

    Turns a student map ``z_s`` (B, C_s, H, W) and the input images into a
    dict of ``loss_distill_<name>`` terms (none without losses). The teacher
    map is brought to the student's grid (area-averaged where it is larger,
    bilinear where smaller: :func:`~.alignment.resize_map`), then compared
    as :class:`FeaturePair` says. ``z_s`` may also be an embedding
    (B, C_s); the teacher's is then its map averaged over positions.

    It is separate from the model wrapper so that students with their own
    ``train_step`` (GANs) can add the same terms. Several pairs in one run:
    :class:`~.distillation_pairs.DistillationPairs`, which offers the same
    methods.

    Args:
        losses, projector, student_channels, teacher_channels: see
            :class:`FeaturePair`.
        teacher: a :class:`FrozenTeacher` config, or None (teacher-free).
    """

    def __init__(self, losses: Dict[str, dict], teacher: Optional[dict] = None,
                 projector: Optional[dict] = None,
                 student_channels: Optional[int] = None,
                 teacher_channels: Optional[int] = None) -> None:
        if not losses and (teacher is not None or projector is not None):
            raise ValueError('a teacher or projector without distillation '
                             'losses (distill_losses is empty): give at '
                             'least one loss')
        if projector is not None and teacher is None:
            raise ValueError('a projector needs a teacher to project to/from')
        super().__init__(losses, projector, student_channels,
                         teacher_channels)
        self.teacher = MODELS.build(teacher) if teacher is not None else None

    def named_pairs(self) -> Iterator[Tuple[str, FeaturePair]]:
        """The one pair, named ``''``."""
        yield '', self

    def has_losses(self) -> bool:
        return bool(self.losses)

    def teacher_maps(self, inputs: torch.Tensor,
                     pairs=None) -> Dict[str, torch.Tensor]:
        """``{'': the teacher's map of the images}`` ({} teacher-free)."""
        if self.teacher is None:
            return {}
        return {'': self.teacher(inputs)}

    def teacher_fault(self) -> str:
        """Why the last step's terms are non-finite when the teacher's map
        was (NaN or Inf), naming the teacher's weights; '' otherwise."""
        return self.teacher.fault() if self.teacher is not None else ''

    def forward(self, inputs: torch.Tensor, student_feat: torch.Tensor,
                **extras: torch.Tensor) -> Dict[str, torch.Tensor]:
        """The terms of a batch: ``inputs`` for the teacher, the student's
        map or embedding, and what the losses require (``extras``)."""
        if not self.losses:
            return {}
        teacher_feat = None
        if self.teacher is not None:
            teacher_feat = align_to_student(self.teacher(inputs),
                                            student_feat)
        return self.terms(student_feat, teacher_feat, **extras)
