"""Linear projections between teacher and student feature spaces.

The one place where "inverted or traditional" is decided: an
:class:`InvertedProjector` maps the teacher map into the student space
(``Z_t P``, the paper's proposal), a :class:`TraditionalProjector` maps the
student map into the teacher space. Both are a 1x1 convolution, i.e. one matrix
applied at every position; the distiller feeds each the aligned map it expects
and compares the output with the other side (see :attr:`direction`).
"""
from typing import List, Optional

import torch
import torch.nn as nn
from mmengine.model import BaseModule

from mmxtkd.registry import MODELS


class LinearProjector(BaseModule):
    """A 1x1 convolution ``(B, C_in, H, W) -> (B, C_out, H, W)``.

    Args:
        in_channels: channels of the map it is applied to.
        out_channels: channels of the map it is compared with.
        bias: add a bias; off by default, since the analysis needs a linear P.
    """

    #: ``'teacher_to_student'`` or ``'student_to_teacher'``.
    direction: str = ''

    def __init__(self, in_channels: int, out_channels: int,
                 bias: bool = False, init_cfg=None) -> None:
        super().__init__(init_cfg)
        self.in_channels = in_channels
        self.out_channels = out_channels
        self.proj = nn.Conv2d(in_channels, out_channels, 1, bias=bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.proj(x)

    def projection_matrices(self) -> List[torch.Tensor]:
        """The projection: a list of one (out_channels, in_channels) matrix."""
        return [self.proj.weight.detach().flatten(1)]


@MODELS.register_module()
class InvertedProjector(LinearProjector):
    """Teacher map (B, C_t, H, W) -> student space (B, C_s, H, W): Z_t P."""
    direction = 'teacher_to_student'


@MODELS.register_module()
class TraditionalProjector(LinearProjector):
    """Student map (B, C_s, H, W) -> teacher space (B, C_t, H, W)."""
    direction = 'student_to_teacher'


@MODELS.register_module()
class ProjectorEnsemble(BaseModule):
    """The mean of K (1x1 conv + ReLU) projectors (Chen et al., NeurIPS 2022).

    As in the authors' code (PEFD: ``nn.Linear`` with its bias, then ReLU),
    each projector has a bias; the output is non-negative. Compared by
    cosine with a signed map (ViT or Swin tokens in the traditional
    direction) it can only match the map's positive part; in the inverted
    direction it is compared with the student's own map (non-negative after
    MobileNetV2's ReLU6).

    Args:
        in_channels: channels of the projected map.
        out_channels: channels of the map it is compared with.
        num_projectors: K.
        direction: ``'teacher_to_student'`` (inverted) or
            ``'student_to_teacher'`` (traditional, as in Chen et al.).
        bias: give each projector a bias (PEFD's ``nn.Linear`` default).
    """

    direction: str = 'student_to_teacher'

    def __init__(self, in_channels: int, out_channels: int,
                 num_projectors: int = 3,
                 direction: str = 'student_to_teacher',
                 bias: bool = True,
                 init_cfg=None) -> None:
        super().__init__(init_cfg)
        if direction not in ('teacher_to_student', 'student_to_teacher'):
            raise ValueError("direction must be 'teacher_to_student' or "
                             f"'student_to_teacher', got {direction!r}")
        if num_projectors < 1:
            raise ValueError(
                f'num_projectors must be >= 1, got {num_projectors}')
        self.direction = direction
        self.in_channels = in_channels
        self.out_channels = out_channels
        self.projectors = nn.ModuleList(
            nn.Conv2d(in_channels, out_channels, 1, bias=bias)
            for _ in range(num_projectors))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        outs = [torch.relu(p(x)) for p in self.projectors]
        return torch.stack(outs).mean(0)

    def projection_matrices(self) -> List[torch.Tensor]:
        """One (out_channels, in_channels) matrix per projector (the
        biases are not part of the spectrum)."""
        return [p.weight.detach().flatten(1) for p in self.projectors]


def build_projector(cfg: dict, student_channels: Optional[int] = None,
                    teacher_channels: Optional[int] = None) -> nn.Module:
    """Build a projector, filling ``in_channels`` / ``out_channels`` that the
    config leaves out from the feature channels and the projector's direction
    (teacher -> student for inverted, student -> teacher for traditional)."""
    cfg = dict(cfg)
    projector_cls = MODELS.get(cfg['type'])
    if projector_cls is None:
        raise KeyError(f"projector type {cfg['type']!r} is not registered "
                       "(mmxtkd's: InvertedProjector, TraditionalProjector, "
                       'ProjectorEnsemble)')
    direction = cfg.get('direction', projector_cls.direction)
    ends = ((teacher_channels, student_channels)
            if direction == 'teacher_to_student' else
            (student_channels, teacher_channels))
    for key, channels in zip(('in_channels', 'out_channels'), ends):
        if key not in cfg:
            if channels is None:
                raise ValueError(
                    f"{cfg['type']} needs {key}: give it, or give the "
                    'distiller student_channels and teacher_channels')
            cfg[key] = channels
    return MODELS.build(cfg)
