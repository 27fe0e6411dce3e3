"""Checkpoints that a crash or a full disk cannot take away.

mmengine's ``CheckpointHook`` deletes the oldest checkpoint *before* it
writes the new one, and writes it in place: with ``max_keep_ckpts=1`` a job
killed while saving (or a save that hits a quota) leaves no complete
checkpoint, and a checkpoint name that is a symbolic link is written through
it. :class:`AtomicCheckpointHook` writes each file to a temporary name in
the same folder, flushed and fsynced, renames it over the final name (a
link is replaced, not followed), points ``last_checkpoint`` at it only
then, and deletes old checkpoints only after that.
"""
import glob
import os
import os.path as osp
import uuid
from typing import Union

from mmengine.dist import is_main_process
from mmengine.fileio import LocalBackend, register_backend
from mmengine.hooks import CheckpointHook

from mmxtkd.registry import HOOKS

#: the backend name :class:`AtomicCheckpointHook` writes local files with
ATOMIC_LOCAL = 'mmxtkd_atomic_local'
#: what a temporary file's name ends with (never ``.pth``: not a checkpoint)
PARTIAL = '.partial'


def write_atomically(data: bytes, path: str) -> None:
    """Write ``data`` to ``path`` so that ``path`` is either its old file
    or the complete new one, whenever the process dies: a temporary file
    beside it, fsynced, renamed over it, the folder fsynced."""
    folder = osp.dirname(osp.abspath(path))
    os.makedirs(folder, exist_ok=True)
    tmp = osp.join(folder, f'.{osp.basename(path)}.{os.getpid()}.'
                   f'{uuid.uuid4().hex[:8]}{PARTIAL}')
    try:
        with open(tmp, 'xb') as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if osp.lexists(tmp):
            os.remove(tmp)
        raise
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class AtomicLocalBackend(LocalBackend):
    """mmengine's local file backend with :func:`write_atomically`."""

    def put(self, obj: bytes, filepath: Union[str, os.PathLike]) -> None:
        write_atomically(obj, str(filepath))

    def put_text(self, obj: str, filepath: Union[str, os.PathLike],
                 encoding: str = 'utf-8') -> None:
        write_atomically(obj.encode(encoding), str(filepath))


register_backend(ATOMIC_LOCAL, AtomicLocalBackend, force=True)


@HOOKS.register_module()
class AtomicCheckpointHook(CheckpointHook):
    """``CheckpointHook`` (same arguments) whose saves never leave fewer
    complete checkpoints than they found (module docstring). A local
    ``out_dir`` is written through :class:`AtomicLocalBackend`; a remote
    one (``backend_args``, an ``s3://`` folder) as mmengine writes it, with
    the same order of writing and deleting. A save that fails raises an
    error naming the file, and deletes nothing. The checkpoint's meta also
    records the run's ``world_size`` and per-process ``batch_size``, for
    ``--resume`` to say when the total batch changes."""

    def __init__(self, *args, **kwargs) -> None:
        out_dir = kwargs.get('out_dir')
        if (kwargs.get('backend_args') is None
                and kwargs.get('file_client_args') is None
                and (out_dir is None or '://' not in str(out_dir))):
            kwargs['backend_args'] = dict(backend=ATOMIC_LOCAL)
        super().__init__(*args, **kwargs)

    def before_train(self, runner) -> None:
        super().before_train(runner)
        if is_main_process() and isinstance(self.file_backend, LocalBackend):
            for stale in glob.glob(osp.join(self.out_dir, f'.*{PARTIAL}')):
                runner.logger.warning(
                    f'removing {stale}, a checkpoint that a killed job did '
                    'not finish writing')
                os.remove(stale)

    def _save_checkpoint_with_step(self, runner, step, meta) -> None:
        name = self.filename_tmpl.format(step)
        path = self.file_backend.join_path(self.out_dir, name)
        dataloader = runner.train_dataloader
        meta = dict(meta, world_size=runner.world_size,
                    batch_size=getattr(dataloader, 'batch_size', None))
        # the kept steps as they will be, saved in this checkpoint's message
        # hub (a resumed run deletes what it lists); the oldest goes after
        kept_before = list(getattr(self, 'keep_ckpt_ids', []))
        old = None
        if self.max_keep_ckpts > 0 and kept_before[-1:] != [step]:
            if len(self.keep_ckpt_ids) == self.max_keep_ckpts:
                old = self.keep_ckpt_ids.popleft()
            self.keep_ckpt_ids.append(step)
            runner.message_hub.update_info('keep_ckpt_ids',
                                           list(self.keep_ckpt_ids))
        try:
            runner.save_checkpoint(
                self.out_dir, name, self.file_client_args,
                save_optimizer=self.save_optimizer,
                save_param_scheduler=self.save_param_scheduler, meta=meta,
                by_epoch=self.by_epoch, backend_args=self.backend_args,
                **self.args)
        except OSError as err:
            if self.max_keep_ckpts > 0:
                self.keep_ckpt_ids.clear()
                self.keep_ckpt_ids.extend(kept_before)
                runner.message_hub.update_info('keep_ckpt_ids', kept_before)
            kept = [self.filename_tmpl.format(s) for s in kept_before]
            raise RuntimeError(
                f'could not write the checkpoint {path}: {err}. Nothing was '
                'deleted: the checkpoints already written '
                f'({", ".join(kept) or "every one"}) are complete; make room '
                'and train with --resume.') from err
        self.last_ckpt = path
        runner.message_hub.update_info('last_ckpt', path)
        if not is_main_process():
            return
        write_atomically(path.encode(),
                         osp.join(runner.work_dir, 'last_checkpoint'))
        if old is not None:
            old_path = self.file_backend.join_path(
                self.out_dir, self.filename_tmpl.format(old))
            if self.file_backend.isfile(old_path):
                self.file_backend.remove(old_path)
            elif self.file_backend.isdir(old_path):  # deepspeed's folders
                self.file_backend.rmtree(old_path)
