"""Task-agnostic cross-task distillation around any OpenMMLab student model."""
import copy
from functools import partial
from typing import Dict, List, Optional, Tuple

import torch
import torch.nn as nn
from mmengine.model import BaseModel
from mmengine.registry import MODELS as ROOT_MODELS

from mmxtkd.registry import MODELS
from mmxtkd.utils import build_in_own_scope, check_pretrained_inits
from .alignment import align_to_student
from .finite_losses import FiniteLossesMixin
from .projectors import build_projector


#: the distiller arguments that only training needs
DISTILLATION_KEYS = ('distill_losses', 'teacher', 'projector',
                     'student_channels', 'teacher_channels')


def without_distillation(model_cfg: dict) -> dict:
    """A distiller's model config that builds the student alone, for
    evaluation: no teacher (its weights are not read), no projector, no
    losses. A config without those keys comes back unchanged (a copy)."""
    cfg = copy.deepcopy(dict(model_cfg))
    if any(cfg.get(k) for k in ('teacher', 'projector', 'distill_losses')):
        cfg.update(teacher=None, projector=None, distill_losses={})
    return cfg


class FeatureDistillation(nn.Module):
    """Teacher + projector + losses for one student feature map.

    Turns a student map ``z_s`` (B, C_s, H, W) and the input images into a
    dict of ``loss_distill_<name>`` terms (none without losses). The teacher
    map is brought to the student's grid (area-averaged where it is larger,
    bilinear where smaller: :func:`~.alignment.resize_map`), then the
    projector, if any, is applied on the side its ``direction`` names:
    inverted (``teacher_to_student``) compares ``z_s`` with ``P(z_t)``,
    traditional compares ``P(z_s)`` with ``z_t``. Without a teacher the
    losses see ``(z_s, None)`` (teacher-free, e.g. ``SpectralRegLoss``).
    ``z_s`` may also be an embedding (B, C_s); the teacher's is then its
    map averaged over positions.

    A loss that needs more than the two maps names it in a ``requires``
    attribute (``('labels', 'logits')``: the batch's class indices (B,),
    the student's logits (B, K)) and gets each as a keyword argument of
    that name; the caller passes them (:class:`CrossTaskDistiller` does for
    classifiers), and a loss whose need is not given is an error naming it.

    It is separate from the model wrapper so that students with their own
    ``train_step`` (GANs) can add the same terms.
    """

    def __init__(self, losses: Dict[str, dict], teacher: Optional[dict] = None,
                 projector: Optional[dict] = None,
                 student_channels: Optional[int] = None,
                 teacher_channels: Optional[int] = None) -> None:
        super().__init__()
        if not losses and (teacher is not None or projector is not None):
            raise ValueError('a teacher or projector without distillation '
                             'losses (distill_losses is empty): give at '
                             'least one loss')
        if projector is not None and teacher is None:
            raise ValueError('a projector needs a teacher to project to/from')
        self.teacher = MODELS.build(teacher) if teacher is not None else None
        self.projector = (build_projector(projector, student_channels,
                                          teacher_channels)
                          if projector is not None else None)
        self.losses = nn.ModuleDict(
            {name: build_in_own_scope(MODELS, cfg) for name, cfg in losses.items()})
        for name, loss in self.losses.items():
            weight = getattr(loss, 'loss_weight', 1.0)
            if isinstance(weight, bool) or not isinstance(weight,
                                                          (int, float)):
                raise TypeError(f'distill_losses.{name}.loss_weight must be a '
                                f'number, got {weight!r}')
        self.student_channels = student_channels
        self.teacher_channels = teacher_channels
        #: what the losses need besides the maps (``requires``), by loss
        self.requirements: Dict[str, Tuple[str, ...]] = {
            name: tuple(getattr(loss, 'requires', ()))
            for name, loss in self.losses.items()}
        # whether the last teacher map was finite (a 0-d tensor: read only
        # when a loss turns out non-finite, so no step waits for it)
        self._teacher_finite: Optional[torch.Tensor] = None

    def teacher_fault(self) -> str:
        """Why the last step's terms are non-finite when the teacher's map
        was (NaN or Inf), naming the teacher's weights; '' otherwise."""
        if self._teacher_finite is None or bool(self._teacher_finite):
            return ''
        source = self.teacher.checkpoint or 'random initialisation'
        return ("the teacher's feature map was NaN or Inf for this batch "
                f'(teacher weights: {source}): check that file and the '
                "batch's images; a lower learning rate cannot help")

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
                    f'{key} = {channels}, but the {side} map has '
                    f'{feat.shape[1]} channels (shape {tuple(feat.shape)}, '
                    f'from {where}): the config disagrees with the model')

    def forward(self, inputs: torch.Tensor, student_feat: torch.Tensor,
                **extras: torch.Tensor) -> Dict[str, torch.Tensor]:
        """The terms of a batch: ``inputs`` for the teacher, the student's
        map or embedding, and what the losses require (``extras``)."""
        if not self.losses:
            return {}
        if student_feat.dim() == 4:
            self._check_channels('student', student_feat)
        teacher_feat = None
        if self.teacher is not None:
            teacher_feat = align_to_student(self.teacher(inputs),
                                            student_feat)
            self._teacher_finite = torch.isfinite(teacher_feat).all()
        return self.terms(student_feat, teacher_feat, **extras)

    def terms(self, student_feat: torch.Tensor,
              teacher_feat: Optional[torch.Tensor],
              **extras: torch.Tensor) -> Dict[str, torch.Tensor]:
        """The loss terms of a student map and a teacher map already on its
        grid (None teacher-free): the projector, then each loss, given
        the ``extras`` it requires."""
        pred, target = student_feat, teacher_feat
        if teacher_feat is not None:
            self._check_channels('teacher', teacher_feat)
            if self.projector is not None:
                if self.projector.direction == 'teacher_to_student':
                    target = self.projector(teacher_feat)
                else:
                    pred = self.projector(student_feat)
        terms = {}
        for name, loss in self.losses.items():
            needs = self.requirements[name]
            missing = [k for k in needs if extras.get(k) is None]
            if missing:
                raise ValueError(
                    f'distill_losses.{name} ({type(loss).__name__}) needs '
                    f'the {" and the ".join(missing)} of the batch, which '
                    'this student does not give (a classifier distilled by '
                    'CrossTaskDistiller gives labels, and logits with '
                    'student_logits set)')
            terms[f'loss_distill_{name}'] = loss(
                pred, target, **{k: extras[k] for k in needs})
        return terms


@MODELS.register_module()
class CrossTaskDistiller(FiniteLossesMixin, BaseModel):
    """Adds cross-task distillation terms to any student's loss dict.

    Args:
        student: config of the student model, any scope
            (``type='mmseg.DepthEstimator'``, ``'mmpretrain.ImageClassifier'``).
            Its data preprocessor is the distiller's.
        distill_losses: ``{name: loss config}``; each gives
            ``loss_distill_<name>``. Empty (and no teacher): the student
            alone, the baselines of the paper's tables.
        teacher: a :class:`FrozenTeacher` config, or None (teacher-free).
        projector: an Inverted/Traditional projector or ProjectorEnsemble
            config, or None. Its ``in_channels`` / ``out_channels`` may be
            left out and are then filled from ``student_channels`` and
            ``teacher_channels`` by its direction (see ``build_projector``).
        student_channels, teacher_channels: C_s and C_t of the feature pair.
        student_feature: dotted name of the student submodule whose output is
            ``Z_s`` ("right after the encoder"), captured with a forward hook
            while the student computes its own loss, so nothing runs twice.
        student_feature_index: which output when it returns several.
        student_logits: dotted name of the student submodule whose output
            is its logits (B, K), e.g. ``'head.fc'`` of an mmpretrain
            classifier, captured likewise; for losses that require them
            (REFILLED's classifier stage). The labels such losses require
            are the data samples' ``gt_label``.

    ``loss`` returns the student's losses plus the distillation terms;
    ``predict`` and ``tensor`` modes are the student's own.
    """

    def __init__(self,
                 student: dict,
                 distill_losses: Optional[Dict[str, dict]] = None,
                 teacher: Optional[dict] = None,
                 projector: Optional[dict] = None,
                 student_channels: Optional[int] = None,
                 teacher_channels: Optional[int] = None,
                 student_feature: str = 'backbone',
                 student_feature_index: int = -1,
                 student_logits: Optional[str] = None,
                 init_cfg=None) -> None:
        super().__init__(init_cfg=init_cfg)
        self.student = build_in_own_scope(ROOT_MODELS, student)
        self.data_preprocessor = self.student.data_preprocessor
        self.distill = FeatureDistillation(distill_losses or {}, teacher,
                                           projector, student_channels,
                                           teacher_channels)
        needs = {k for r in self.distill.requirements.values() for k in r}
        if 'logits' in needs and student_logits is None:
            users = [n for n, r in self.distill.requirements.items()
                     if 'logits' in r]
            raise ValueError(f'distill_losses.{users[0]} needs the '
                             "student's logits: set student_logits to the "
                             "module that gives them (e.g. 'head.fc')")
        self._needs_labels = 'labels' in needs
        self.student_feature_index = student_feature_index
        self.student_feature_name = student_feature
        #: what is captured while the student runs -> (config key, module)
        self._hooked = {'feature': ('student_feature', student_feature)}
        if student_logits is not None:
            self._hooked['logits'] = ('student_logits', student_logits)
        for role, (key, name) in self._hooked.items():
            try:
                hooked = self.student.get_submodule(name)
            except AttributeError as e:
                raise ValueError(f'{key}: the student '
                                 f'{type(self.student).__name__} has no '
                                 f'submodule {name!r}') from e
            hooked.register_forward_hook(partial(self._capture, role))
        self._captured: Optional[Dict[str, List[torch.Tensor]]] = None

    def init_weights(self) -> None:
        """Check the student's ``Pretrained`` inits (the file exists and fits
        exactly), then initialise as mmengine does."""
        check_pretrained_inits(self.student)
        super().init_weights()

    def _capture(self, role: str, module: nn.Module, args, output) -> None:
        if self._captured is None:
            return
        if role == 'feature' and isinstance(output, (list, tuple)):
            index, count = self.student_feature_index, len(output)
            if not -count <= index < count:
                raise ValueError(
                    f'student_feature_index = {index}, but '
                    f'{self.student_feature_name!r} returns {count} '
                    'outputs')
            output = output[index]
        self._captured[role].append(output)

    def forward(self, inputs: torch.Tensor, data_samples=None,
                mode: str = 'tensor'):
        if mode == 'loss':
            return self.loss(inputs, data_samples)
        return self.student(inputs, data_samples, mode=mode)

    def _run_student(self, inputs: torch.Tensor, data_samples, mode: str):
        """The student's output in ``mode`` and what the hooks captured in
        the same run (``{'feature': Z_s[, 'logits': logits]}``)."""
        if inputs.shape[0] == 0:
            raise ValueError('CrossTaskDistiller: empty batch')
        self._captured = {role: [] for role in self._hooked}
        try:
            output = self.student(inputs, data_samples, mode=mode)
            captured = self._captured
        finally:
            self._captured = None
        for role, outputs in captured.items():
            if len(outputs) != 1:
                key, name = self._hooked[role]
                raise RuntimeError(
                    f'the {key} {name!r} ran {len(outputs)} times during one '
                    f'{mode} pass; expected once (a module the student calls '
                    'directly, once per pass, such as its backbone: a '
                    "head's loss() runs its forward without the call that "
                    'hooks see)')
        return output, {role: outputs[0] for role, outputs in captured.items()}

    @staticmethod
    def batch_labels(data_samples, device: torch.device) -> torch.Tensor:
        """(B,) class indices: each data sample's ``gt_label``."""
        if not data_samples or any('gt_label' not in s for s in data_samples):
            raise ValueError('a distillation loss needs the labels of the '
                             "batch, but its data samples have no gt_label "
                             '(a classification data set gives them)')
        return torch.cat([s.gt_label.reshape(-1)[:1] for s in
                          data_samples]).to(device)

    def loss(self, inputs: torch.Tensor, data_samples) -> Dict[str, torch.Tensor]:
        extras = {}
        if self._needs_labels:  # before the student's own loss reads them
            extras['labels'] = self.batch_labels(data_samples, inputs.device)
        losses, captured = self._run_student(inputs, data_samples, 'loss')
        extras.update((k, v) for k, v in captured.items() if k != 'feature')
        losses.update(self.distill(inputs, captured['feature'], **extras))
        return losses

    def student_feature(self, inputs: torch.Tensor,
                        data_samples=None) -> torch.Tensor:
        """``Z_s`` of a batch, as the distillation terms see it (the student
        run in ``tensor`` mode)."""
        return self._run_student(inputs, data_samples, 'tensor')[1]['feature']

    @staticmethod
    def plain_student_config(model_cfg: dict) -> dict:
        """The config of the student as its own package builds it (mmseg's
        ``DepthEstimator``, ``EncoderDecoder``, mmpretrain's classifier)."""
        return copy.deepcopy(dict(model_cfg['student']))

    def student_state_dict(self) -> Dict[str, torch.Tensor]:
        """The student's weights, with the keys of the plain student model."""
        return self.student.state_dict()

    def export_student(self, path: str, meta: Optional[dict] = None) -> None:
        """Write a checkpoint that :meth:`plain_student_config` loads
        strictly (``load_from``, mmseg's ``init_model`` and tools)."""
        save_student_checkpoint(self, path, meta)


def save_student_checkpoint(model: nn.Module, path: str,
                            meta: Optional[dict] = None) -> None:
    """``{'meta', 'state_dict'}`` of a distiller's ``student_state_dict()``
    (:class:`CrossTaskDistiller`, the GAN students), as mmengine writes
    checkpoints."""
    torch.save({'meta': dict(meta or {}),
                'state_dict': model.student_state_dict()}, path)

