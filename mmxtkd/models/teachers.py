"""A frozen teacher of any task: its encoder's map, without autograd."""
import importlib.util
import logging
import os.path as osp
from contextlib import contextmanager, nullcontext
from typing import Optional, Sequence, Tuple, Union

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmengine.config import Config, ConfigDict
from mmengine.logging import MMLogger
from mmengine.model import BaseModule
from mmengine.registry import MODELS as ROOT_MODELS

from mmxtkd.registry import MODELS, build_in_own_scope
from mmxtkd.utils.pretrained import (first_few, read_state_dict,
                                     state_dict_misfit)
from .map_standardiser import MapStandardiser

#: the inputs' normalisation every teacher assumes unless told otherwise
#: (ImageNet's, RGB, 0-255): mmseg's, mmpretrain's and the configs' students
IMAGENET_MEAN = (123.675, 116.28, 103.53)
IMAGENET_STD = (58.395, 57.12, 57.375)


def tokens_to_map(tokens: torch.Tensor, num_extra_tokens: int,
                  image_size: Tuple[int, int]) -> torch.Tensor:
    """ViT tokens (B, N, C) -> map (B, C, h, w), dropping the leading
    ``num_extra_tokens`` (class / distillation tokens); the grid has the
    aspect ratio of the input image ``image_size`` (H, W)."""
    x = tokens[:, num_extra_tokens:]
    b, n, c = x.shape
    h = max(1, round((n * image_size[0] / image_size[1])**0.5))
    w = n // h
    if h * w != n:
        raise ValueError(f'{n} patch tokens do not form a grid with the '
                         f'aspect ratio of a {image_size[0]}x{image_size[1]} '
                         'input; check num_extra_tokens')
    return x.transpose(1, 2).reshape(b, c, h, w)


def load_model_config(path: str) -> Config:
    """A config file, or ``'pkg::path.py'`` inside an installed package."""
    if '::' in path:
        package, rel = path.split('::', 1)
        # the imported package's folder: right for editable installs too,
        # where the distribution's location is site-packages
        spec = importlib.util.find_spec(package)
        if spec is None or spec.origin is None:
            raise ValueError(f'{path}: the package {package!r} is not '
                             'installed')
        path = osp.join(osp.dirname(spec.origin), '.mim', 'configs', rel)
    if not osp.isfile(path):
        raise FileNotFoundError(f'teacher model config not found: {path}')
    return Config.fromfile(path)


def teacher_in_config(cfg: Config) -> ConfigDict:
    """The FrozenTeacher config that a config file defines: its
    ``model.teacher``, or its top-level FrozenTeacher (a teacher base's
    ``<file name>_teacher``, e.g. ``random_teacher`` of
    ``random.py``, which also holds the ``vitb_cls_teacher`` it
    derives from). An error names what the file holds instead."""
    model_teacher = cfg.get('model', {}).get('teacher')
    if model_teacher:
        return model_teacher
    found = {k: v for k, v in cfg.items() if isinstance(v, dict)
             and v.get('type') in ('mmxtkd.FrozenTeacher', 'FrozenTeacher')}
    own = osp.splitext(osp.basename(cfg.filename or ''))[0].replace(
        '-', '_') + '_teacher'
    if own in found:
        return found[own]
    if len(found) != 1:
        raise ValueError(
            f'{cfg.filename} defines {len(found)} FrozenTeacher configs at '
            f'its top level ({", ".join(found) or "none"}) and no '
            'model.teacher: give a file with one (configs/_base_/teachers/)')
    return next(iter(found.values()))


@contextmanager
def _quiet_init_log():
    """mmengine logs every parameter's initialisation at INFO; a frozen
    teacher's hundreds of lines say nothing useful."""
    logger = MMLogger.get_current_instance()
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(level)


def _without_pretrained_init(cfg):
    """Drop every ``init_cfg=dict(type='Pretrained', ...)`` of a package
    config: they point at hub downloads, and the teacher's weights come from
    its own ``checkpoint`` argument."""
    if isinstance(cfg, dict):
        return {
            k: _without_pretrained_init(v)
            for k, v in cfg.items()
            if not (k == 'init_cfg' and isinstance(v, dict)
                    and v.get('type') == 'Pretrained') and k != 'pretrained'
        }
    if isinstance(cfg, (list, tuple)):
        return type(cfg)(_without_pretrained_init(v) for v in cfg)
    return cfg


def _build_model(model: Union[dict, str]) -> nn.Module:
    """A model config of any scope, or a config file (``'pkg::path.py'``)."""
    if isinstance(model, str):
        cfg = load_model_config(model)
        if 'model' not in cfg:
            raise ValueError(f'the config {model} has no `model` field')
        model_cfg = ConfigDict(_without_pretrained_init(cfg.model.to_dict()))
        model_cfg.setdefault('_scope_', cfg.get('default_scope'))
        return ROOT_MODELS.build(model_cfg)
    return build_in_own_scope(ROOT_MODELS, model)


@MODELS.register_module()
class FrozenTeacher(BaseModule):
    """A frozen model of another task, returning its encoder map (B, C_t, h, w)
    (or what a classifier gives: embeddings or logits (B, C_t)).

    The wrapped network is built from its own scope (``type='mmpretrain.X'``,
    ``'mmseg.X'``, or a package config such as ``'mmdet::mask_rcnn/xxx.py'``),
    then either loaded from ``checkpoint`` or left randomly initialised from
    ``init_seed`` (the paper's random teacher: the same seed gives the same
    teacher, and the global random state is not touched).

    Frozen for good: the network is held outside the module tree, so its
    parameters are not in ``parameters()`` (hence never in an optimizer), not
    in ``state_dict()`` (hence not in checkpoints or the student export) and
    not wrapped by DDP; ``.to()``/``.cuda()`` still move it. It stays in eval
    mode whatever ``train()`` is called with, no parameter requires grad, and
    it runs without autograd (``torch.inference_mode()`` by default).

    Args:
        model: the network's config, or a package config path.
        checkpoint: local path (or URL) of its weights; None keeps the random
            initialisation, or the weights the model read itself (a
            :class:`TransformersFeatures` folder's).
        init_seed: seed of the random initialisation.
        feature: dotted name of the encoder inside the model; None takes
            an OpenMMLab model's ``backbone`` when it has one (dropping necks
            and heads), else the model itself (e.g. a
            :class:`TorchvisionFeatures` adapter, already cut at its node);
            ``''`` the whole model (a classifier's logits, for KD).
        out_index: which output of the encoder to return when it returns
            several (default: the last); a sequence of indices returns a
            tuple of those maps (for a decoder that takes several).
        num_extra_tokens: leading tokens dropped when the encoder returns
            tokens (B, N, C).
        mean, std: the teacher's input normalisation (RGB, 0-255 scale);
            None: the model's own where it states one (a transformers
            folder's ``preprocessor_config.json``, read by
            :class:`TransformersFeatures`).
        student_mean, student_std: the normalisation the inputs arrive with.
            When both pairs are given, inputs are re-normalised.
        input_size: resize inputs to this (h, w) before the teacher, e.g. a
            ViT's native (224, 224): cheaper, and the map is resized to the
            student's grid anyway, but the features change (see
            docs/advanced/benchmarks.md).
        inference_mode: run under ``torch.inference_mode()`` (else
            ``torch.no_grad()``); the map is copied out of inference mode, so
            a projector may save it for its backward.
        channels_last: run the encoder in the channels-last memory format
            (faster convolutions on tensor cores).
        autocast_dtype: ``'bfloat16'`` or ``'float16'`` runs the teacher under
            this autocast whatever the training precision is; its map is
            returned in the inputs' dtype. None: the caller's autocast, if
            any, applies.
        revise_keys: regex replacements applied to checkpoint keys, as in
            mmengine's ``load_checkpoint``.
        standardise: opt-in per-channel standardisation of each returned
            map, e.g. ``dict(iters=100)``: statistics estimated over the
            first training steps, then frozen and kept in the checkpoint
            (:class:`MapStandardiser`), for a teacher whose map is orders
            of magnitude off the student's; None (default): the map as the
            teacher gives it, the papers' method.
    """

    def __init__(self,
                 model: Union[dict, str],
                 checkpoint: Optional[str] = None,
                 init_seed: int = 0,
                 feature: Optional[str] = None,
                 out_index: Union[int, Sequence[int]] = -1,
                 num_extra_tokens: int = 1,
                 mean: Optional[Sequence[float]] = None,
                 std: Optional[Sequence[float]] = None,
                 student_mean: Optional[Sequence[float]] = None,
                 student_std: Optional[Sequence[float]] = None,
                 input_size: Optional[Tuple[int, int]] = None,
                 revise_keys: Sequence[Tuple[str,
                                             str]] = ((r'^module\.', ''), ),
                 inference_mode: bool = True,
                 channels_last: bool = False,
                 autocast_dtype: Optional[str] = None,
                 standardise: Optional[dict] = None,
                 init_cfg=None) -> None:
        super().__init__(init_cfg)
        if autocast_dtype not in (None, 'bfloat16', 'float16'):
            raise ValueError("autocast_dtype must be None, 'bfloat16' or "
                             f"'float16', got {autocast_dtype!r}")
        with torch.random.fork_rng(devices=[]), _quiet_init_log():
            torch.manual_seed(init_seed)
            network = _build_model(model)
            # a checkpoint must hold every weight (checked), so initialising
            # them first would be wasted
            if checkpoint is None and hasattr(network, 'init_weights'):
                network.init_weights()
        if checkpoint is not None:
            self._load(network, checkpoint, revise_keys)
        encoder = self._select_encoder(network, feature)
        mean, std = self._own_normalisation(network, mean, std, student_mean,
                                            student_std)
        encoder.requires_grad_(False)
        encoder.eval()
        if channels_last:
            encoder.to(memory_format=torch.channels_last)
        # Outside the module tree on purpose: see the class docstring.
        object.__setattr__(self, 'encoder', encoder)
        self.checkpoint = checkpoint
        self.out_index = (out_index if isinstance(out_index, int) else
                          tuple(out_index))
        self.num_extra_tokens = num_extra_tokens
        self.input_size = tuple(input_size) if input_size else None
        self.inference_mode = inference_mode
        self.channels_last = channels_last
        self.autocast_dtype = autocast_dtype
        self._init_renorm(mean, std, student_mean, student_std)
        outputs = 1 if isinstance(self.out_index, int) else len(
            self.out_index)
        self.standardisers = (nn.ModuleList(
            MapStandardiser(**standardise) for _ in range(outputs))
                              if standardise is not None else None)
        # whether the last map was finite (a 0-d tensor: read only when a
        # loss turns out non-finite, so no step waits for it)
        self._finite: Optional[torch.Tensor] = None

    # -- construction -------------------------------------------------------
    @staticmethod
    def _load(network: nn.Module, checkpoint: str,
              revise_keys: Sequence[Tuple[str, str]]) -> None:
        if '://' not in checkpoint and osp.isdir(checkpoint):
            raise IsADirectoryError(
                f'teacher checkpoint {checkpoint} is a directory: give the '
                'weights file in it (e.g. checkpoint=.../model.pth).')
        if '://' not in checkpoint and not osp.isfile(checkpoint):
            raise FileNotFoundError(
                f'teacher checkpoint not found: {checkpoint}. Download or '
                'convert the weights (see tools/model_converters/) and set '
                'the path in the config or with --cfg-options; '
                'checkpoint=None gives a randomly initialised teacher.')
        try:
            state = read_state_dict(checkpoint, revise_keys)
        except (RuntimeError, OSError, EOFError, ValueError) as err:
            raise RuntimeError(
                f'teacher checkpoint {checkpoint} could not be read ({err}). '
                'Is the file complete (a download cut short)? Download or '
                'convert it again.') from err
        misfit = state_dict_misfit(network.state_dict(), state)
        if misfit:
            raise RuntimeError(
                f'teacher checkpoint {checkpoint} does not fit the teacher '
                f'model {type(network).__name__}: {misfit}. Convert it '
                '(tools/model_converters/) or set revise_keys.')
        broken = [k for k, v in state.items() if torch.is_tensor(v)
                  and v.is_floating_point() and not torch.isfinite(v).all()]
        if broken:
            raise RuntimeError(
                f'teacher checkpoint {checkpoint} holds NaN or Inf in '
                f'{len(broken)} of its {len(state)} tensors '
                f'({first_few(broken)}): the file is damaged or was saved '
                'from a diverged run. Download or convert it again.')
        # Every key and shape fits (checked above). Loading is not strict only
        # so that a model's own load hooks may drop buffers it recomputes
        # (SwinV2's relative-position tables).
        network.load_state_dict(state, strict=False)

    @staticmethod
    def _select_encoder(network: nn.Module,
                        feature: Optional[str]) -> nn.Module:
        if feature is None:  # an OpenMMLab model: its backbone
            if isinstance(network, BaseModule):
                return getattr(network, 'backbone', network)
            return network  # an adapter such as TorchvisionFeatures
        try:
            return network.get_submodule(feature)
        except AttributeError as e:
            raise ValueError(f'the teacher {type(network).__name__} has no '
                             f'submodule {feature!r}') from e

    @staticmethod
    def _own_normalisation(network: nn.Module, mean, std, student_mean,
                           student_std) -> Tuple[Optional[Sequence[float]],
                                                 Optional[Sequence[float]]]:
        """``mean`` / ``std``, or where both are None the model's own
        (``input_mean`` / ``input_std``, e.g. a transformers folder's). With
        the inputs' normalisation not given, a model's own that is not
        ImageNet's is an error: guessing it would feed the teacher images it
        was not trained on."""
        own = (getattr(network, 'input_mean', None),
               getattr(network, 'input_std', None))
        if mean is not None or std is not None or None in own:
            return mean, std
        if student_mean is None and student_std is None:
            if all(torch.allclose(torch.tensor(a, dtype=torch.float64),
                                  torch.tensor(b, dtype=torch.float64),
                                  atol=0.01)
                   for a, b in zip(own, (IMAGENET_MEAN, IMAGENET_STD))):
                return None, None  # the inputs' assumed normalisation
            raise ValueError(
                f'the teacher {type(network).__name__} (its '
                'preprocessor_config.json) normalises with mean '
                f'{[round(v, 3) for v in own[0]]}, std '
                f'{[round(v, 3) for v in own[1]]}: give the normalisation '
                "the inputs arrive with (the student's data_preprocessor's) "
                'as student_mean / student_std, or mean / std to override')
        return own

    def _init_renorm(self, mean, std, student_mean, student_std) -> None:
        given = [x is not None for x in (mean, std, student_mean, student_std)]
        if any(given) and not all(given):
            raise ValueError('re-normalisation needs all of mean, std, '
                             'student_mean and student_std')
        self.renormalize = all(given)
        if self.renormalize:
            t_mean, t_std, s_mean, s_std = (
                torch.tensor(x, dtype=torch.float32).view(1, -1, 1, 1)
                for x in (mean, std, student_mean, student_std))
            # x_t = (x_s * s_std + s_mean - t_mean) / t_std = x_s * a + b
            self.register_buffer('scale', s_std / t_std, persistent=False)
            self.register_buffer('shift', (s_mean - t_mean) / t_std,
                                 persistent=False)

    # -- frozen behaviour ---------------------------------------------------
    def _apply(self, fn, *args, **kwargs):
        super()._apply(fn, *args, **kwargs)
        self.encoder._apply(fn, *args, **kwargs)
        return self

    def train(self, mode: bool = True) -> 'FrozenTeacher':
        super().train(mode)
        self.encoder.eval()  # mmpretrain's train() returns None: no chaining
        return self

    def init_weights(self) -> None:
        """The teacher is initialised at construction (seed or checkpoint)."""

    def fault(self) -> str:
        """Why a loss of the last step is non-finite when this teacher's
        map was (NaN or Inf), naming its weights; '' otherwise."""
        if self._finite is None or bool(self._finite):
            return ''
        source = self.weights or 'random initialisation'
        return ("the teacher's feature map was NaN or Inf for this batch "
                f'(teacher weights: {source}): check that file and the '
                "batch's images; a lower learning rate cannot help")

    @property
    def weights(self) -> Optional[str]:
        """Where the weights come from: the checkpoint, or the folder a
        model read itself (TransformersFeatures'); None: random."""
        return self.checkpoint or getattr(self.encoder, 'weights_source',
                                          None)

    def extra_repr(self) -> str:
        src = self.weights or 'random init'
        return f'encoder={type(self.encoder).__name__} (frozen, {src})'

    # -- forward ------------------------------------------------------------
    def forward(self, inputs: torch.Tensor
                ) -> Union[torch.Tensor, Tuple[torch.Tensor, ...]]:
        """Student-normalised images (B, 3, H, W) -> (B, C_t, h, w), or a
        tuple of such maps when ``out_index`` is a sequence."""
        if inputs.dim() != 4 or inputs.shape[0] == 0:
            raise ValueError('FrozenTeacher expects a non-empty (B, 3, H, W) '
                             f'batch, got shape {tuple(inputs.shape)}')
        no_autograd = (torch.inference_mode() if self.inference_mode
                       else torch.no_grad())
        autocast = (torch.autocast(inputs.device.type,
                                   dtype=getattr(torch, self.autocast_dtype))
                    if self.autocast_dtype else nullcontext())
        with no_autograd, autocast:
            out = self._encode(inputs)
            maps = out if isinstance(out, tuple) else (out, )
            self._finite = torch.stack(
                [torch.isfinite(m).all() for m in maps]).all()
        if self.inference_mode or self.autocast_dtype:
            # out of inference mode (autograd may then save it), in the
            # inputs' dtype when the teacher ran under its own autocast
            dtype = inputs.dtype if self.autocast_dtype else None
            out = (tuple(o.to(dtype or o.dtype, copy=True) for o in out)
                   if isinstance(out, tuple) else
                   out.to(dtype or out.dtype, copy=True))
        if self.standardisers is None:
            return out
        if isinstance(out, tuple):
            return tuple(s(o) for s, o in zip(self.standardisers, out))
        return self.standardisers[0](out)

    def _encode(self, inputs: torch.Tensor
                ) -> Union[torch.Tensor, Tuple[torch.Tensor, ...]]:
        x = inputs * self.scale + self.shift if self.renormalize else inputs
        if self.input_size is not None and tuple(
                x.shape[-2:]) != self.input_size:
            x = F.interpolate(x, size=self.input_size, mode='bilinear',
                              align_corners=False)
        if self.channels_last:
            x = x.contiguous(memory_format=torch.channels_last)
        out = self.encoder(x)
        indices = ((self.out_index, ) if isinstance(self.out_index, int)
                   else self.out_index)
        if isinstance(out, (list, tuple)):
            if not all(-len(out) <= i < len(out) for i in indices):
                raise ValueError(f'out_index = {self.out_index}, but the '
                                 f'teacher encoder returns {len(out)} outputs')
        elif not isinstance(self.out_index, int):
            raise ValueError(f'out_index = {self.out_index}, but the teacher '
                             'encoder returns a single output')
        if not isinstance(self.out_index, int):
            return tuple(self._as_map(out[i], x) for i in self.out_index)
        if isinstance(out, (list, tuple)):
            out = out[self.out_index]
        return self._as_map(out, x)

    def _as_map(self, out, x: torch.Tensor) -> torch.Tensor:
        if isinstance(out, (list, tuple)):  # e.g. ViT 'raw' outputs
            out = out[0]
        if out.dim() == 3:
            out = tokens_to_map(out, self.num_extra_tokens, x.shape[-2:])
        if out.dim() not in (2, 4):
            raise ValueError(
                'the teacher encoder returned a tensor of shape '
                f'{tuple(out.shape)}; expected a (B, C, h, w) map, '
                '(B, N, C) tokens, or (B, C) embeddings / logits')
        return out
