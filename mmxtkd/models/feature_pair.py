"""The distillation terms of one student feature map and one teacher map:
projector + losses."""
from typing import Dict, Optional, Tuple

import torch
import torch.nn as nn

from mmxtkd.registry import MODELS, build_in_own_scope
from .projectors import LinearProjector, build_projector


class FeaturePair(nn.Module):
    """Projector + losses comparing a student map with a teacher map, the
one place where a pair's channels are checked: at build time (a loss's
``check_channels``) and against every map it is given.

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
    def decomposable(self) -> bool:
        """Whether section 3.4's loss decomposition applies: one linear
        projector (not an ensemble)."""
        return isinstance(self.projector, LinearProjector)

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
