"""Checks of a run's own checkpoints before the tools use them: resuming
from the newest one that is complete, and refusing one that does not fit the
model (mmengine loads with ``strict=False`` and only logs what did not fit).
"""
import functools
import glob
import logging
import os
import os.path as osp
import zipfile
from typing import Dict, List, Optional

import torch.nn as nn
from mmengine.config import Config
from mmengine.logging import print_log
from mmengine.model import is_model_wrapper

from mmxtkd.utils.config_literals import read_literal_assignments
from mmxtkd.utils.pretrained import (first_few, read_state_dict,
                                     shape_mismatches)


def incomplete(path: str) -> str:
    """Why the checkpoint ``path`` is not a complete file of torch's format
    (a job killed while writing it), or '' when it is. Every stored record
    is read and its CRC checked; nothing is unpickled."""
    try:
        with zipfile.ZipFile(path) as archive:
            bad = archive.testzip()
    except (zipfile.BadZipFile, OSError, EOFError) as err:
        return f'not a complete torch checkpoint ({err})'
    return f'record {bad} is corrupt' if bad else ''


def _pointed(work_dir: str) -> List[str]:
    """The checkpoint ``last_checkpoint`` names, resolved inside
    ``work_dir``: mmengine writes an absolute path, which in a copied or
    moved work dir names the original's file. A pointer to a file the work
    dir does not hold is ignored, with a warning."""
    pointer = osp.join(work_dir, 'last_checkpoint')
    if not osp.isfile(pointer):
        return []
    with open(pointer) as f:
        named = f.read().strip()
    inside = osp.join(work_dir, osp.basename(named))
    if osp.realpath(named) == osp.realpath(inside):
        return [inside]
    if osp.isfile(inside):
        print_log(f'--resume: {pointer} names {named}, outside this work '
                  f'dir; resuming from {inside}, the file of that name here',
                  logger='current', level=logging.WARNING)
        return [inside]
    print_log(f'--resume: {pointer} names {named}, which this work dir does '
              'not hold: ignored', logger='current', level=logging.WARNING)
    return []


def _candidates(work_dir: str) -> List[str]:
    named = _pointed(work_dir)
    found = sorted(glob.glob(osp.join(work_dir, '*.pth')),
                   key=osp.getmtime, reverse=True)
    return named + [p for p in found
                    if not named or osp.realpath(p) != osp.realpath(named[0])]


def run_files(work_dir: str) -> List[str]:
    """The checkpoints (``*.pth``) and the ``last_checkpoint`` pointer that
    a run left in ``work_dir``."""
    files = sorted(glob.glob(osp.join(work_dir, '*.pth')))
    pointer = osp.join(work_dir, 'last_checkpoint')
    return files + ([pointer] if osp.isfile(pointer) else [])


def check_fresh_work_dir(work_dir: str) -> None:
    """Raise when a run that starts afresh in ``work_dir`` would overwrite
    the checkpoints of another run there."""
    files = run_files(work_dir)
    if files:
        raise RuntimeError(
            f'{work_dir} already holds the checkpoints of a run '
            f'({first_few([osp.basename(f) for f in files])}); training '
            'afresh there would overwrite them. Continue that run with '
            '--resume, train into another --work-dir, or give --start-over '
            'to delete them and start again.')


def last_intact_checkpoint(work_dir: str) -> Optional[str]:
    """The checkpoint of ``work_dir`` to resume from: the one
    ``last_checkpoint`` names, or the newest ``*.pth`` after it, skipping
    (with a warning naming each) those cut short. None when the work dir
    has no checkpoint; an error when it has only incomplete ones."""
    skipped = []
    for path in _candidates(work_dir):
        if not osp.isfile(path):
            skipped.append(f'{path} (missing)')
            continue
        reason = incomplete(path)
        if not reason:
            if skipped:
                print_log(f'--resume: skipped {"; ".join(skipped)}; resuming '
                          f'from {path}', logger='current',
                          level=logging.WARNING)
            return path
        skipped.append(f'{path} ({reason})')
    if skipped:
        raise RuntimeError(f'--resume: no complete checkpoint in {work_dir}: '
                           + '; '.join(skipped) + '. Remove them to start '
                           'afresh, or give --cfg-options load_from=...')
    return None


def _flat(cfg: dict, prefix: str = '') -> Dict[str, object]:
    """``{'a.b': value}`` of a nested dict."""
    out = {}
    for key, value in cfg.items():
        if isinstance(value, dict):
            out.update(_flat(value, f'{prefix}{key}.'))
        else:
            out[f'{prefix}{key}'] = value
    return out


#: what the resume checks read of the config saved in a checkpoint
SAVED_SETTINGS = ('config_name', 'model', 'train_dataloader')


@functools.lru_cache(maxsize=2)
def _meta(path: str, stamp: tuple) -> dict:
    """The meta of the checkpoint ``path`` (as of ``stamp``, its size and
    modification time), loaded once for the checks that read it."""
    from mmengine.runner.checkpoint import _load_checkpoint
    meta = _load_checkpoint(path, map_location='cpu').get('meta', {})
    return meta if isinstance(meta, dict) else {}


def saved_meta(path: str) -> dict:
    """The meta of the checkpoint ``path`` (weights-only loading)."""
    stat = os.stat(path)
    return _meta(path, (stat.st_size, stat.st_mtime_ns))


def saved_settings(path: str) -> Dict[str, object]:
    """The config name, model and training data settings of the run that
    wrote the checkpoint ``path``, read from the config text mmengine saved
    in its meta as data (:mod:`.config_literals`): nothing in the file is
    executed. Settings that are not plain data are left out. A meta with a
    ``config`` text is refused: mmengine's ``Runner.resume`` would execute
    it, and neither mmengine 0.x nor mmxtkd writes one."""
    meta = saved_meta(path)
    if 'config' in meta:
        raise RuntimeError(
            f"refusing to resume from {path}: its meta holds a 'config' "
            "text, which mmengine's Runner.resume would run as Python. "
            "mmengine and mmxtkd save the config as 'cfg'; this file was "
            'written by something else. Load its weights with --cfg-options '
            'load_from=... (without --resume) if you trust them.')
    text = meta.get('cfg')
    if not isinstance(text, str):
        return {}
    return read_literal_assignments(text, SAVED_SETTINGS)


def _experiment(settings: dict) -> Dict[str, object]:
    """What makes a run the run it is: its model and training data set, as
    flat ``key: value`` pairs."""
    data = settings.get('train_dataloader') or {}
    return dict(_flat(settings.get('model') or {}, 'model.'),
                **_flat(dict(data.get('dataset') or {}),
                        'train_dataloader.dataset.'))


def check_resume_same_config(path: str, cfg: Config) -> str:
    """Raise, naming both configs and what differs, when the checkpoint
    ``path`` was written by a run of another config (``config_name``, which
    the tools record) of another model or training data: two configs whose
    parameters have the same shapes (a synthetic twin and its parent, one
    data set's config and another's) would otherwise continue each other's
    runs. A config of another name that trains the same model on the same
    data (one that inherits the run's and lengthens its schedule) continues
    it. When the saved model or data settings are not plain data, the
    configs are compared by name alone. Returns the note to log ('' for the
    same config)."""
    saved = saved_settings(path)
    then, now = saved.get('config_name'), cfg.get('config_name')
    if then is None or now is None:
        return (f'--resume: {path} does not name the config that wrote it; '
                'resuming without comparing configs')
    if then == now:
        return ''
    if 'model' not in saved or 'train_dataloader' not in saved:
        raise RuntimeError(
            f'cannot resume from {path}: it was written by a run of the '
            f'config {then!r}, and this run is of {now!r}; the model and '
            'data settings saved with it are not plain data, so the two '
            f'cannot be compared. Resume with {then!r}, or train {now!r} '
            'into another --work-dir.')
    before = _experiment(saved)
    after = _experiment(dict(model=cfg.model.to_dict(),
                             train_dataloader=cfg.get('train_dataloader',
                                                      {})))
    differ = [f'{k}: {before.get(k)!r} then, {after.get(k)!r} now'
              for k in sorted(set(before) | set(after))
              if before.get(k) != after.get(k)]
    if not differ:
        return (f'--resume: {path} was written by a run of {then!r}; '
                f'{now!r} trains the same model on the same data and '
                'continues it')
    raise RuntimeError(
        f'cannot resume from {path}: it was written by a run of the config '
        f'{then!r}, and this run is of {now!r}, another model or data set '
        f'({first_few(differ, "; ")}). Resume with {then!r}, or train '
        f'{now!r} into another --work-dir.')


def total_batch_note(path: str, world_size: int, batch_size: int) -> str:
    """What to log when the run resumed from ``path`` had another total
    batch (processes x batch per process) than this one: '' when the same,
    or when the checkpoint does not record it."""
    meta = saved_meta(path)
    then = (meta.get('world_size'), meta.get('batch_size'))
    if None in then or then == (world_size, batch_size):
        return ''
    return (f'--resume: {path} was trained with a total batch of '
            f'{then[0]} x {then[1]} = {then[0] * then[1]} (processes x batch '
            f'per process), this run has {world_size} x {batch_size} = '
            f'{world_size * batch_size}: the schedule continues with another '
            'batch and the same learning rate (--auto-scale-lr scales it)')


def _own_state(model: nn.Module) -> dict:
    return (model.module if is_model_wrapper(model) else model).state_dict()


def check_resume_fits(model: nn.Module, path: str, cfg: Config) -> None:
    """Raise, naming the parameters and the config keys that differ, when
    the checkpoint ``path`` holds parameters of other shapes than ``model``
    (a run resumed with another projector or student): mmengine would load
    what fits, say it resumed, and fail later inside the optimizer."""
    wrong = shape_mismatches(_own_state(model), read_state_dict(path))
    if not wrong:
        return
    saved = saved_settings(path).get('model')
    keys = ''
    if isinstance(saved, dict):
        then = _flat(saved)
        now = _flat(cfg.model.to_dict())
        differ = [f'model.{k}: {then.get(k)!r} then, {now.get(k)!r} now'
                  for k in sorted(set(then) | set(now))
                  if then.get(k) != now.get(k)]
        keys = ('; the config keys that differ from the checkpoint\'s: '
                + first_few(differ, '; '))
    raise RuntimeError(
        f'cannot resume from {path}: {len(wrong)} parameters have other '
        f'shapes than this config builds ({first_few(wrong, "; ")}){keys}. '
        'Resume with the config it was trained with, or train into another '
        '--work-dir.')


def check_test_fits(model: nn.Module, path: str,
                    allow_missing: bool = False) -> None:
    """Raise when the checkpoint ``path`` leaves weights of the model to be
    tested missing, or has other shapes (a checkpoint of another model
    would otherwise be tested as the untrained model). The distillation
    parts (``distill.``: projector, never the teacher) are not needed to
    test and are not required."""
    own = _own_state(model)
    loaded = read_state_dict(path)
    missing = sorted(k for k in own
                     if k not in loaded and not k.startswith('distill.'))
    wrong = shape_mismatches(own, loaded)
    if wrong or (missing and not allow_missing):
        problems = []
        if missing:
            problems.append(f'{len(missing)} of the model\'s {len(own)} '
                            f'weights are not in it ({first_few(missing)})')
        if wrong:
            problems.append(f'{len(wrong)} have other shapes '
                            f'({first_few(wrong)})')
        raise RuntimeError(
            f'checkpoint {path} does not fit the model of this config: '
            + '; '.join(problems) + '. Is it a checkpoint of this config? '
            '(--allow-missing tests with the missing weights as initialised)')
    if missing:
        print_log(f'--allow-missing: {len(missing)} weights not in {path} '
                  'are tested as initialised', logger='current',
                  level=logging.WARNING)


