"""The distillation part of a model (figure 1b): frozen teachers and named
feature pairs, each teacher run once per step, each pair's teacher map
brought to its student map's grid and compared through its projector."""
import copy
from collections import OrderedDict
from typing import Dict, Iterable, Iterator, Mapping, Optional, Tuple, Union

import torch
import torch.nn as nn

from mmxtkd.registry import MODELS
from .alignment import align_to_student
from .feature_pair import FeaturePair

#: a model config's keys that only distillation reads: this container's
#: arguments, and the student modules that feed its pairs
DISTILLATION_KEYS = ('distill_losses', 'teacher', 'projector',
                     'student_channels', 'teacher_channels', 'teachers',
                     'distill_pairs')

#: the settings of one of several pairs (``distill_pairs.<pair>``)
PAIR_KEYS = ('teacher', 'teacher_out_index', 'projector', 'losses',
             'student_channels', 'teacher_channels')

#: the name of the pair (and of its teacher) that the single-pair keys
#: ``distill_losses``, ``teacher``, ``projector`` ... spell
SINGLE = 'main'

StudentMaps = Union[torch.Tensor, Mapping[str, torch.Tensor]]


def without_distillation(model_cfg: dict) -> dict:
    """A distiller's model config that builds the student alone, for
    evaluation: no teacher (its weights are not read), no projector, no
    losses (a copy without :data:`DISTILLATION_KEYS`)."""
    return {k: copy.deepcopy(v) for k, v in dict(model_cfg).items()
            if k not in DISTILLATION_KEYS}


def distillation_settings(
        settings: Mapping, owner: str,
        default: Optional[Tuple[str, int]] = None
) -> Tuple[dict, Dict[str, Tuple[str, str, int]]]:
    """A model's distillation keyword arguments, checked, as
    :class:`Distillation` takes them, and where each pair's student map
    comes from.

    Args:
        settings: the model's keyword arguments beyond its own; each must
            be one of :data:`DISTILLATION_KEYS` (a TypeError names another).
        owner: the model's class name, for that error.
        default: the model's ``(student_feature, student_feature_index)``,
            which each of several pairs may override with its own; None for
            a model whose pairs all compare one map (the GAN students).

    Returns:
        ``(settings, {pair: (config key, student module, output index)})``,
        the second empty without ``default``.
    """
    unknown = sorted(set(settings) - set(DISTILLATION_KEYS))
    if unknown:
        raise TypeError(f'{owner} got an unexpected keyword argument '
                        f'{unknown[0]!r}')
    settings = dict(settings)
    sources: Dict[str, Tuple[str, str, int]] = {}
    pairs = settings.get('distill_pairs')
    if pairs is not None:
        pairs = {name: dict(cfg) for name, cfg in dict(pairs).items()}
        settings['distill_pairs'] = pairs
    if default is None:
        return settings, sources
    if pairs is None:
        sources[SINGLE] = ('student_feature', *default)
    for name, cfg in (pairs or {}).items():
        sources[name] = (f'distill_pairs.{name}.student_feature',
                         cfg.pop('student_feature', default[0]),
                         cfg.pop('student_feature_index', default[1]))
    return settings, sources


def _single_pair_settings(distill_losses, teacher, projector,
                          student_channels, teacher_channels
                          ) -> Tuple[dict, dict]:
    """``(teachers, pairs)`` that the single-pair keys spell: one pair named
    :data:`SINGLE` (none for the student alone)."""
    if not distill_losses:
        if teacher is not None or projector is not None:
            raise ValueError('a teacher or projector without distillation '
                             'losses (distill_losses is empty): give at '
                             'least one loss')
        return {}, {}
    if projector is not None and teacher is None:
        raise ValueError('a projector needs a teacher to project to/from')
    pair = dict(teacher=SINGLE if teacher is not None else None,
                projector=projector, losses=distill_losses,
                student_channels=student_channels,
                teacher_channels=teacher_channels)
    return ({SINGLE: teacher} if teacher is not None else {}), {SINGLE: pair}


class Distillation(nn.Module):
    """Frozen teachers and named feature pairs, the one container of a
    model's distillation terms (:class:`CrossTaskDistiller`'s and the GAN
    students').

    Each pair (:class:`FeaturePair`: projector + losses) compares one student
    map with one map of a teacher (or none: a teacher-free loss), brought
    to the student's grid (:func:`~.alignment.align_to_student`). Pairs that
    name the same teacher share its one forward; a teacher whose
    ``out_index`` is a list returns several maps, and each pair takes one by
    ``teacher_out_index``.

    A model config gives either the single-pair keys, which spell one pair
    named :data:`SINGLE` whose terms are logged as ``loss_distill_<loss>``:

    - ``distill_losses``: ``{name: loss config}`` (empty, and no teacher:
      no pair, the student alone);
    - ``teacher``: a :class:`FrozenTeacher` config, or None (teacher-free);
    - ``projector``: an Inverted/Traditional projector or ProjectorEnsemble
      config, or None; its channels default from ``student_channels`` and
      ``teacher_channels``;

    or several pairs, logged as ``loss_distill_<pair>_<loss>``:

    - ``teachers``: ``{name: FrozenTeacher config}``, each named by a pair;
    - ``distill_pairs``: ``{pair: dict(teacher=<a name of teachers> or
      None, teacher_out_index=..., projector=..., losses=...,
      student_channels=..., teacher_channels=...)}``; ``student_channels``
      defaults to the one given beside them.

    The two forms do not mix: an error names the key. Checkpoints of the
    single-pair form written before the one container
    (``distill.projector.*``, ``distill.losses.*``) load into the pair.
    """

    def __init__(self,
                 distill_losses: Optional[Dict[str, dict]] = None,
                 teacher: Optional[dict] = None,
                 projector: Optional[dict] = None,
                 student_channels: Optional[int] = None,
                 teacher_channels: Optional[int] = None,
                 teachers: Optional[Mapping[str, dict]] = None,
                 distill_pairs: Optional[Mapping[str, dict]] = None) -> None:
        super().__init__()
        self.single = distill_pairs is None
        if self.single:
            if teachers:
                raise ValueError(
                    'teachers is given without distill_pairs: name them in '
                    "pairs (distill_pairs=dict(<pair>=dict(teacher='<name>'"
                    ', ...))), or give the single teacher as `teacher`')
            teachers, pairs = _single_pair_settings(
                distill_losses, teacher, projector, student_channels,
                teacher_channels)
        else:
            given = [k for k, v in (('distill_losses', distill_losses),
                                    ('teacher', teacher),
                                    ('projector', projector),
                                    ('teacher_channels', teacher_channels))
                     if v]
            if given:
                raise ValueError(
                    f'{given[0]} is given with distill_pairs: with several '
                    'pairs, each pair gives its own teacher (a name of '
                    '`teachers`), projector, losses and teacher_channels')
            if not distill_pairs:
                raise ValueError('distill_pairs is empty: give at least one '
                                 'pair (or the single-pair keys '
                                 'distill_losses, teacher, projector)')
            teachers = dict(teachers or {})
            pairs = {name: dict(dict(student_channels=student_channels),
                                **cfg)
                     for name, cfg in distill_pairs.items()}
            for kind, names in (('teachers', teachers),
                                ('distill_pairs', pairs)):
                for name in names:
                    if not isinstance(name, str) or not name or '.' in name:
                        raise ValueError(
                            f'{kind}: {name!r} is not a usable name (a '
                            'non-empty string without dots)')
        # pairs first: the parameters keep the order they had before the
        # one container (projector, losses), so optimizer states resume
        self.pairs = nn.ModuleDict()
        self.teachers = nn.ModuleDict(
            {name: MODELS.build(cfg) for name, cfg in teachers.items()})
        #: pair -> (teacher name, position in its tuple of maps or None)
        self.sources: Dict[str, Tuple[str, Optional[int]]] = {}
        for name, cfg in pairs.items():
            self.pairs[name] = self._build_pair(name, dict(cfg))
        self._check_every_teacher_output_is_used()
        self._check_terms_are_distinct()
        self._register_load_state_dict_pre_hook(self._single_pair_keys)

    # -- construction ---------------------------------------------------------
    def _key(self, pair: str) -> str:
        """The config-key prefix of a pair's settings, for error messages."""
        return '' if self.single else f'distill_pairs.{pair}.'

    def teacher_key(self, teacher: str) -> str:
        """The config key of a teacher, for error messages."""
        return 'teacher' if self.single else f'teachers.{teacher}'

    def _build_pair(self, name: str, cfg: dict) -> FeaturePair:
        key = self._key(name)
        unknown = sorted(set(cfg) - set(PAIR_KEYS))
        if unknown:
            raise ValueError(f'{key}{unknown[0]}: not a setting of a pair '
                             f'(those are {", ".join(PAIR_KEYS)})')
        teacher = cfg.get('teacher')
        if not cfg.get('losses'):
            raise ValueError(f'{key}losses is empty: a pair needs at least '
                             'one loss')
        if cfg.get('projector') is not None and teacher is None:
            raise ValueError(f'{key}projector needs a teacher: set '
                             f'{key}teacher to one of the teachers')
        if teacher is not None:
            self.sources[name] = (teacher, self._output_position(
                key, teacher, cfg.get('teacher_out_index')))
        elif cfg.get('teacher_out_index') is not None:
            raise ValueError(f'{key}teacher_out_index without a teacher')
        prefix = 'loss_distill_' if self.single else f'loss_distill_{name}_'
        return FeaturePair(cfg['losses'], cfg.get('projector'),
                           cfg.get('student_channels'),
                           cfg.get('teacher_channels'), term_prefix=prefix,
                           config_key=key)

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
        where = self.teacher_key(teacher)
        if isinstance(listed, int):
            if out_index not in (None, listed):
                raise ValueError(
                    f'{key}teacher_out_index = {out_index}, but {where} '
                    f'returns one map (out_index = {listed}): give its '
                    'out_index as a list for several maps')
            return None
        if out_index is None or out_index not in listed:
            raise ValueError(
                f'{key}teacher_out_index = {out_index}: {where} returns the '
                f'maps of out_index = {list(listed)}; name one')
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
                        f'{self.teacher_key(name)}.out_index lists {unused}, '
                        'which no pair takes (teacher_out_index): drop them, '
                        'they would be computed for nothing')

    def _check_terms_are_distinct(self) -> None:
        seen: Dict[str, str] = {}
        for name, pair in self.pairs.items():
            for term in pair.term_names():
                if term in seen:
                    raise ValueError(
                        f'the pairs {seen[term]!r} and {name!r} would both '
                        f'log {term}: rename a pair or a loss')
                seen[term] = name

    def _single_pair_keys(self, state_dict: dict, prefix: str, *args) -> None:
        """Rename the keys of a checkpoint written before the one container,
        whose single pair sat at the top (``<prefix>projector.*``,
        ``<prefix>losses.*``), to the pair's (``<prefix>pairs.main.*``)."""
        if not self.single or SINGLE not in self.pairs:
            return
        old = tuple(prefix + part for part in ('projector.', 'losses.'))
        for key in [k for k in state_dict if k.startswith(old)]:
            new = f'{prefix}pairs.{SINGLE}.{key[len(prefix):]}'
            state_dict.setdefault(new, state_dict.pop(key))

    # -- what the models and hooks use ----------------------------------------
    def named_pairs(self) -> Iterator[Tuple[str, FeaturePair]]:
        return iter(self.pairs.items())

    def has_losses(self) -> bool:
        """Whether any term is computed (False: the student alone)."""
        return len(self.pairs) > 0

    def named_projectors(self) -> Iterator[Tuple[str, nn.Module]]:
        """``(pair name, projector)`` of every pair that has one."""
        return ((name, pair.projector) for name, pair in self.pairs.items()
                if pair.projector is not None)

    def keep_compared_maps(self) -> None:
        """Make every decomposable pair keep the maps its next terms
        compare (:meth:`pop_compared_maps`)."""
        for pair in self.pairs.values():
            pair.keep_maps = pair.decomposable

    def pop_compared_maps(self) -> Dict[str, Tuple[torch.Tensor,
                                                   torch.Tensor]]:
        """``{pair: (prediction, target)}`` each decomposable pair kept
        (detached, as its loss saw them); the pairs stop keeping."""
        kept = OrderedDict()
        for name, pair in self.pairs.items():
            if pair.last_maps is not None:
                kept[name] = pair.last_maps
            pair.keep_maps, pair.last_maps = False, None
        return kept

    def teacher_maps(self, inputs: torch.Tensor,
                     pairs: Optional[Iterable[str]] = None
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

    def aligned_teacher_maps(self, inputs: torch.Tensor,
                             student_maps: StudentMaps
                             ) -> Dict[str, torch.Tensor]:
        """``{pair: its teacher's map on the grid of its student map}``:
        ``student_maps`` by pair, or one map for every pair."""
        return {pair: align_to_student(z_t, _of(student_maps, pair))
                for pair, z_t in self.teacher_maps(
                    inputs, _pairs_of(student_maps, self.pairs)).items()}

    def teacher_fault(self) -> str:
        """Each teacher's :meth:`FrozenTeacher.fault`, named by its config
        key; '' when none is at fault."""
        faults = {name: teacher.fault()
                  for name, teacher in self.teachers.items()}
        return '; '.join(f'{self.teacher_key(name)}: {fault}'
                         for name, fault in faults.items() if fault)

    def forward(self, inputs: torch.Tensor, student_maps: StudentMaps,
                **extras: torch.Tensor) -> Dict[str, torch.Tensor]:
        """The terms of a batch: ``inputs`` (B, 3, H, W) for the teachers,
        each pair's student map (B, C_s, h, w) or embedding (B, C_s), by
        pair or one for every pair, and what the losses require
        (``extras``)."""
        maps = self.aligned_teacher_maps(inputs, student_maps)
        terms = {}
        for name, pair in self.pairs.items():
            terms.update(pair.terms(_of(student_maps, name), maps.get(name),
                                    **extras))
        return terms


def _of(student_maps: StudentMaps, pair: str) -> torch.Tensor:
    """A pair's student map: its entry, or the one map of every pair."""
    return student_maps if torch.is_tensor(student_maps) else \
        student_maps[pair]


def _pairs_of(student_maps: StudentMaps, pairs: Mapping) -> list:
    """The pairs whose student maps are given."""
    return list(pairs) if torch.is_tensor(student_maps) else [
        p for p in pairs if p in student_maps]
