"""Several named feature pairs in one run, their teachers shared by name."""
from typing import Dict, Iterator, Mapping, Optional, Sequence, Tuple, Union

import torch
import torch.nn as nn

from mmxtkd.registry import MODELS
from .alignment import align_to_student
from .feature_distillation import FeatureDistillation, FeaturePair

#: the settings of a pair of :class:`DistillationPairs`
PAIR_KEYS = ('teacher', 'teacher_out_index', 'projector', 'losses',
             'student_channels', 'teacher_channels')


class DistillationPairs(nn.Module):
    """Named feature pairs, each with its own projector and losses, and the
    frozen teachers they name, each run once per step.

    Each pair compares one student map with one map of a teacher of
    ``teachers`` (or none: a teacher-free loss), brought to the student's
    grid; its terms are logged as ``loss_distill_<pair>_<loss>``. Pairs that
    name the same teacher share its one forward; a teacher whose
    ``out_index`` is a list returns several maps, and each pair takes one by
    ``teacher_out_index`` (one of the list's values), so pairs at different
    depths of one teacher cost one teacher forward.

    Args:
        pairs: ``{pair name: dict(teacher=<a name of teachers> or None,
            teacher_out_index=..., projector=..., losses=...,
            student_channels=..., teacher_channels=...)}``, as
            :class:`FeaturePair` takes them.
        teachers: ``{name: FrozenTeacher config}``; each must be named by
            a pair.
        config_key: the model config's key of the pairs, for error messages.
    """

    def __init__(self, pairs: Mapping[str, dict],
                 teachers: Optional[Mapping[str, dict]] = None,
                 config_key: str = 'distill_pairs') -> None:
        super().__init__()
        teachers = dict(teachers or {})
        if not pairs:
            raise ValueError(f'{config_key} is empty: give at least one pair '
                             '(or the single-pair keys distill_losses, '
                             'teacher, projector)')
        for kind, names in (('teachers', teachers), (config_key, pairs)):
            for name in names:
                if not isinstance(name, str) or not name or '.' in name:
                    raise ValueError(f'{kind}: {name!r} is not a usable name '
                                     '(a non-empty string without dots)')
        self.teachers = nn.ModuleDict(
            {name: MODELS.build(cfg) for name, cfg in teachers.items()})
        self.pairs = nn.ModuleDict()
        #: pair -> (teacher name, position in its tuple of maps or None)
        self.sources: Dict[str, Tuple[str, Optional[int]]] = {}
        for name, cfg in pairs.items():
            key = f'{config_key}.{name}.'
            cfg = dict(cfg)
            unknown = sorted(set(cfg) - set(PAIR_KEYS))
            if unknown:
                raise ValueError(f'{key}{unknown[0]}: not a setting of a '
                                 f'pair (those are {", ".join(PAIR_KEYS)})')
            teacher = cfg.get('teacher')
            losses = cfg.get('losses') or {}
            if not losses:
                raise ValueError(f'{key}losses is empty: a pair needs at '
                                 'least one loss')
            if cfg.get('projector') is not None and teacher is None:
                raise ValueError(f'{key}projector needs a teacher: set '
                                 f'{key}teacher to one of the teachers')
            if teacher is not None:
                self.sources[name] = (teacher, self._output_position(
                    key, teacher, cfg.get('teacher_out_index')))
            elif cfg.get('teacher_out_index') is not None:
                raise ValueError(f'{key}teacher_out_index without a teacher')
            self.pairs[name] = FeaturePair(
                losses, cfg.get('projector'), cfg.get('student_channels'),
                cfg.get('teacher_channels'),
                term_prefix=f'loss_distill_{name}_', config_key=key)
        self._check_every_teacher_output_is_used()
        self._check_terms_are_distinct()

    # -- construction checks -------------------------------------------------
    def _output_position(self, key: str, teacher: str,
                         out_index: Optional[int]) -> Optional[int]:
        """Where the pair's map is in the teacher's output: None for a
        teacher returning one map, else the position of ``out_index`` in the
        teacher's ``out_index`` list."""
        if not isinstance(teacher, str):
            raise ValueError(f'{key}teacher must name one of the teachers '
                             f'(a string), not {type(teacher).__name__}: '
                             'define the teacher under `teachers`')
        if teacher not in self.teachers:
            known = ', '.join(self.teachers) or 'none are defined'
            raise ValueError(f'{key}teacher = {teacher!r} is not one of the '
                             f'teachers ({known})')
        listed = self.teachers[teacher].out_index
        if isinstance(listed, int):
            if out_index not in (None, listed):
                raise ValueError(
                    f'{key}teacher_out_index = {out_index}, but teachers.'
                    f'{teacher} returns one map (out_index = {listed}): '
                    'give its out_index as a list for several maps')
            return None
        if out_index is None or out_index not in listed:
            raise ValueError(
                f'{key}teacher_out_index = {out_index}: teachers.{teacher} '
                f'returns the maps of out_index = {list(listed)}; name one')
        return listed.index(out_index)

    def _check_every_teacher_output_is_used(self) -> None:
        for name, teacher in self.teachers.items():
            taken = {pos for t, pos in self.sources.values() if t == name}
            if not taken:
                raise ValueError(f'teachers.{name} is used by no pair: name '
                                 'it in a pair\'s teacher, or remove it')
            if not isinstance(teacher.out_index, int):
                unused = [i for pos, i in enumerate(teacher.out_index)
                          if pos not in taken]
                if unused:
                    raise ValueError(
                        f'teachers.{name}.out_index lists {unused}, which no '
                        'pair takes (teacher_out_index): drop them, they '
                        'would be computed for nothing')

    def _check_terms_are_distinct(self) -> None:
        seen: Dict[str, str] = {}
        for name, pair in self.pairs.items():
            for term in pair.term_names():
                if term in seen:
                    raise ValueError(
                        f'the pairs {seen[term]!r} and {name!r} would both '
                        f'log {term}: rename a pair or a loss')
                seen[term] = name

    # -- what the distillers use ---------------------------------------------
    def named_pairs(self) -> Iterator[Tuple[str, FeaturePair]]:
        return iter(self.pairs.items())

    def has_losses(self) -> bool:
        return True  # every pair has one (checked)

    def teacher_maps(self, inputs: torch.Tensor,
                     pairs: Optional[Sequence[str]] = None
                     ) -> Dict[str, torch.Tensor]:
        """``{pair: its teacher's map of the images}`` for ``pairs`` (default
        all) that have a teacher, each teacher run once."""
        wanted = list(self.pairs) if pairs is None else list(pairs)
        outputs: Dict[str, Union[torch.Tensor, tuple]] = {}
        maps = {}
        for pair in wanted:
            if pair not in self.sources:
                continue
            teacher, position = self.sources[pair]
            if teacher not in outputs:
                outputs[teacher] = self.teachers[teacher](inputs)
            out = outputs[teacher]
            maps[pair] = out if position is None else out[position]
        return maps

    def teacher_fault(self) -> str:
        """Each teacher's :meth:`FrozenTeacher.fault`, named."""
        faults = {name: t.fault() for name, t in self.teachers.items()}
        return '; '.join(f'teachers.{name}: {fault}'
                         for name, fault in faults.items() if fault)

    def forward(self, inputs: torch.Tensor,
                student_feats: Union[torch.Tensor, Mapping[str, torch.Tensor]],
                **extras: torch.Tensor) -> Dict[str, torch.Tensor]:
        """The terms of a batch: ``inputs`` for the teachers, each pair's
        student map (a mapping by pair, or one map for every pair), and what
        the losses require (``extras``)."""
        maps = self.teacher_maps(inputs)
        terms = {}
        for name, pair in self.pairs.items():
            z_s = (student_feats[name] if isinstance(student_feats, Mapping)
                   else student_feats)
            z_t = maps.get(name)
            if z_t is not None:
                z_t = align_to_student(z_t, z_s)
            terms.update(pair.terms(z_s, z_t, **extras))
        return terms


def build_distillation(distill_losses: Optional[Dict[str, dict]] = None,
                       teacher: Optional[dict] = None,
                       projector: Optional[dict] = None,
                       student_channels: Optional[int] = None,
                       teacher_channels: Optional[int] = None,
                       teachers: Optional[Mapping[str, dict]] = None,
                       distill_pairs: Optional[Mapping[str, dict]] = None
                       ) -> Union[FeatureDistillation, DistillationPairs]:
    """A distiller's distillation part from its config keys: one pair
    (:class:`FeatureDistillation`, from ``distill_losses``, ``teacher``,
    ``projector``) or several (:class:`DistillationPairs`, from
    ``distill_pairs`` and ``teachers``; ``student_channels`` is then every
    pair's default). The two forms do not mix: an error names the key."""
    if distill_pairs is None:
        if teachers:
            raise ValueError('teachers is given without distill_pairs: name '
                             'them in pairs (distill_pairs=dict(<pair>=dict('
                             "teacher='<name>', ...))), or give the single "
                             'teacher as `teacher`')
        return FeatureDistillation(distill_losses or {}, teacher, projector,
                                   student_channels, teacher_channels)
    single = [k for k, v in (('distill_losses', distill_losses),
                             ('teacher', teacher), ('projector', projector),
                             ('teacher_channels', teacher_channels)) if v]
    if single:
        raise ValueError(f'{single[0]} is given with distill_pairs: with '
                         'several pairs, each pair gives its own teacher '
                         '(a name of `teachers`), projector, losses and '
                         'teacher_channels')
    pairs = {name: dict(dict(student_channels=student_channels), **cfg)
             for name, cfg in distill_pairs.items()}
    return DistillationPairs(pairs, teachers)
