"""Task-agnostic cross-task distillation around any OpenMMLab student model."""
import copy
from functools import partial
from typing import Dict, List, Optional, Tuple

import torch
import torch.nn as nn
from mmengine.model import BaseModel
from mmengine.registry import MODELS as ROOT_MODELS

from mmxtkd.registry import MODELS, build_in_own_scope
from mmxtkd.utils.pretrained import check_pretrained_inits
from .distillation import Distillation, distillation_settings
from .finite_losses import FiniteLossesMixin
from .loss_scale import LossScaleMonitor


@MODELS.register_module()
class CrossTaskDistiller(FiniteLossesMixin, BaseModel):
    """Adds cross-task distillation terms to any student's loss dict.

    Args:
        student: config of the student model, any scope
            (``type='mmseg.DepthEstimator'``,
            ``'mmpretrain.ImageClassifier'``).
            Its data preprocessor is the distiller's.
        student_feature: dotted name of the student submodule whose output is
            ``Z_s`` ("right after the encoder"), captured with a forward hook
            while the student computes its own loss, so nothing runs twice.
            Each of several pairs may name its own (``distill_pairs.<pair>.
            student_feature``, ``student_feature_index``).
        student_feature_index: which output when it returns several.
        student_logits: dotted name of the student submodule whose output
            is its logits (B, K), e.g. ``'head.fc'`` of an mmpretrain
            classifier, captured likewise; for losses that require them
            (REFILLED's classifier stage). The labels such losses require
            are the data samples' ``gt_label``.
        loss_scale: :class:`LossScaleMonitor`'s arguments (``iters``,
            ``warn_ratio``): each distillation term's ratio to the task
            loss, logged over the first steps, with a warning when one
            swamps it.
        **distillation: the teachers, projectors and losses, as
            :class:`~.distillation.Distillation` takes them: the single-pair
            keys (``distill_losses``, ``teacher``, ``projector``,
            ``student_channels``, ``teacher_channels``; none: the student
            alone, the baselines of the paper's tables) or several pairs
            (``teachers``, ``distill_pairs``).

    ``loss`` returns the student's losses plus the distillation terms;
    ``predict`` and ``tensor`` modes are the student's own.
    """

    def __init__(self,
                 student: dict,
                 student_feature: str = 'backbone',
                 student_feature_index: int = -1,
                 student_logits: Optional[str] = None,
                 loss_scale: Optional[dict] = None,
                 init_cfg=None,
                 **distillation) -> None:
        super().__init__(init_cfg=init_cfg)
        self.loss_scale = LossScaleMonitor(**(loss_scale or {}))
        self.student = build_in_own_scope(ROOT_MODELS, student)
        self.data_preprocessor = self.student.data_preprocessor
        distillation, features = distillation_settings(
            distillation, type(self).__name__,
            default=(student_feature, student_feature_index))
        self.distill = Distillation(**distillation)
        #: pair -> (config key, student module, output index)
        self._sources: Dict[str, Tuple[str, str, int]] = features
        needs = {need: f'{pair.losses_key}.{loss}'
                 for _, pair in self.distill.named_pairs()
                 for loss, needed in pair.requirements.items()
                 for need in needed}
        if 'logits' in needs and student_logits is None:
            raise ValueError(f'{needs["logits"]} needs the student\'s '
                             'logits: set student_logits to the module that '
                             "gives them (e.g. 'head.fc')")
        self._needs_labels = 'labels' in needs
        #: student module -> the config keys that name it
        self._hooked: Dict[str, List[str]] = {}
        for key, name, _ in self._sources.values():
            self._hooked.setdefault(name, []).append(key)
        self._logits_module = student_logits
        if student_logits is not None:
            self._hooked.setdefault(student_logits, []).append(
                'student_logits')
        for name, keys in self._hooked.items():
            try:
                hooked = self.student.get_submodule(name)
            except AttributeError as e:
                raise ValueError(f'{keys[0]}: the student '
                                 f'{type(self.student).__name__} has no '
                                 f'submodule {name!r}') from e
            hooked.register_forward_hook(partial(self._capture, name))
        self._captured: Optional[Dict[str, list]] = None

    def init_weights(self) -> None:
        """Check the student's ``Pretrained`` inits (the file exists and fits
        exactly), then initialise as mmengine does."""
        check_pretrained_inits(self.student)
        super().init_weights()

    def _capture(self, name: str, module: nn.Module, args, output) -> None:
        if self._captured is not None:
            self._captured[name].append(output)

    def forward(self, inputs: torch.Tensor, data_samples=None,
                mode: str = 'tensor'):
        if mode == 'loss':
            return self.loss(inputs, data_samples)
        return self.student(inputs, data_samples, mode=mode)

    def _run_student(self, inputs: torch.Tensor, data_samples, mode: str):
        """The student's output in ``mode`` and what the hooks captured in
        the same run: each pair's ``Z_s``, and the logits (or None)."""
        if inputs.shape[0] == 0:
            raise ValueError('CrossTaskDistiller: empty batch')
        self._captured = {name: [] for name in self._hooked}
        try:
            output = self.student(inputs, data_samples, mode=mode)
            captured = self._captured
        finally:
            self._captured = None
        for name, outputs in captured.items():
            if len(outputs) != 1:
                raise RuntimeError(
                    f'the {" and ".join(self._hooked[name])} {name!r} ran '
                    f'{len(outputs)} times during one {mode} pass; expected '
                    'once (a module the student calls directly, once per '
                    "pass, such as its backbone: a head's loss() runs its "
                    'forward without the call that hooks see)')
        features = {}
        for pair, (key, name, index) in self._sources.items():
            output_ = captured[name][0]
            if isinstance(output_, (list, tuple)):
                if not -len(output_) <= index < len(output_):
                    raise ValueError(
                        f'{key}_index = {index}, but {name!r} returns '
                        f'{len(output_)} outputs')
                output_ = output_[index]
            features[pair] = output_
        logits = (captured[self._logits_module][0]
                  if self._logits_module is not None else None)
        return output, features, logits

    @staticmethod
    def batch_labels(data_samples, device: torch.device) -> torch.Tensor:
        """(B,) class indices: each data sample's ``gt_label``."""
        if not data_samples or any('gt_label' not in s for s in data_samples):
            raise ValueError('a distillation loss needs the labels of the '
                             "batch, but its data samples have no gt_label "
                             '(a classification data set gives them)')
        return torch.cat([s.gt_label.reshape(-1)[:1] for s in
                          data_samples]).to(device)

    def loss(self, inputs: torch.Tensor,
             data_samples) -> Dict[str, torch.Tensor]:
        extras = {}
        if self._needs_labels:  # before the student's own loss reads them
            extras['labels'] = self.batch_labels(data_samples, inputs.device)
        losses, features, logits = self._run_student(inputs, data_samples,
                                                     'loss')
        if logits is not None:
            extras['logits'] = logits
        terms = self.distill(inputs, features, **extras)
        if self.training:
            self.loss_scale(losses, terms)
        losses.update(terms)
        return losses

    def student_features(self, inputs: torch.Tensor,
                         data_samples=None) -> Dict[str, torch.Tensor]:
        """``{pair: Z_s}`` of a batch, as the distillation terms see them
        (the student run in ``tensor`` mode); the single pair is
        :data:`~.distillation.SINGLE`."""
        return self._run_student(inputs, data_samples, 'tensor')[1]

    def feature_pairs(self, inputs: torch.Tensor, data_samples=None
                      ) -> Dict[str, Tuple[torch.Tensor,
                                           Optional[torch.Tensor]]]:
        """``{pair: (Z_s, the teacher map on its grid, or None)}`` of a
        batch: what each pair's projector and losses compare."""
        features = self.student_features(inputs, data_samples)
        maps = self.distill.aligned_teacher_maps(inputs, features)
        return {pair: (z_s, maps.get(pair))
                for pair, z_s in features.items()}

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
