"""AtomicCheckpointHook: a save killed or failing part-way, with
max_keep_ckpts=1, leaves the previous checkpoint to resume from; a
checkpoint name that is a link is replaced, not written through."""
import errno
import os
import os.path as osp
import subprocess
import sys
from types import SimpleNamespace

import pytest
import torch
from mmengine.config import Config
from mmengine.fileio import get_file_backend
from mmengine.logging import MessageHub, MMLogger

from conftest import REPO, TINY_CONFIG, run_script
from mmxtkd.apis.run_checkpoint import last_intact_checkpoint
from mmxtkd.engine.hooks import AtomicCheckpointHook
from test_tools import data_options, tool_env


class FakeRunner(SimpleNamespace):
    """What the hook uses of a Runner: each save writes ``payload`` with
    the backend the hook passes, as mmengine's ``save_checkpoint`` does."""

    def save_checkpoint(self, out_dir, filename, file_client_args=None,
                        backend_args=None, **kwargs):
        path = osp.join(out_dir, filename)
        get_file_backend(path, backend_args=backend_args).put(
            self.payload, path)


def fake_runner(work_dir: str, name: str) -> FakeRunner:
    return FakeRunner(
        work_dir=work_dir, world_size=1, payload=b'complete' * 1000,
        train_dataloader=SimpleNamespace(batch_size=4),
        logger=MMLogger.get_instance(name),
        message_hub=MessageHub.get_instance(name))


def hook_with_one_checkpoint(tmp_path, name):
    hook = AtomicCheckpointHook(interval=1, by_epoch=False, max_keep_ckpts=1)
    runner = fake_runner(str(tmp_path), name)
    hook.before_train(runner)
    hook._save_checkpoint_with_step(runner, 1, dict(iter=1))
    return hook, runner


class CutWrite:
    """A file opened for writing that writes a third of what it is given,
    then calls ``then`` (raise a quota error, kill the process)."""

    def __init__(self, f, then):
        self.f, self.then = f, then

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.f.close()

    def write(self, data):
        self.f.write(data[:len(data) // 3])
        self.f.flush()
        self.then()


def cutting_open(real_open, word, then):
    """``open`` whose binary files with ``word`` in their name are
    :class:`CutWrite`; what mmengine's and mmxtkd's checkpoint writes see."""

    def opener(file, mode='r', *args, **kwargs):
        f = real_open(file, mode, *args, **kwargs)
        return CutWrite(f, then) if word in str(file) and 'b' in mode else f

    return opener


def test_a_failing_write_raises_and_deletes_nothing(tmp_path, monkeypatch):
    """Disk full part-way through iter_2.pth: a clear error, iter_1.pth
    and last_checkpoint as they were, no partial file left."""
    import builtins
    hook, runner = hook_with_one_checkpoint(tmp_path, 'atomic-fail')

    def quota():
        raise OSError(errno.EDQUOT, os.strerror(errno.EDQUOT))

    monkeypatch.setattr(builtins, 'open',
                        cutting_open(builtins.open, 'iter_2', quota))
    with pytest.raises(RuntimeError, match=r'could not write the checkpoint '
                       r'.*iter_2.pth: \[Errno 122\] .*Nothing was deleted: '
                       r'the checkpoints already written \(iter_1.pth\)'):
        hook._save_checkpoint_with_step(runner, 2, dict(iter=2))
    monkeypatch.undo()
    assert sorted(os.listdir(tmp_path)) == ['iter_1.pth', 'last_checkpoint']
    assert (tmp_path / 'iter_1.pth').read_bytes() == runner.payload
    assert (tmp_path / 'last_checkpoint').read_text() == str(
        tmp_path / 'iter_1.pth')
    hook._save_checkpoint_with_step(runner, 2, dict(iter=2))  # room again
    assert sorted(os.listdir(tmp_path)) == ['iter_2.pth', 'last_checkpoint']


def test_a_checkpoint_name_that_is_a_link_is_replaced(tmp_path):
    target = tmp_path / 'elsewhere.pth'
    target.write_bytes(b'not yours')
    work = tmp_path / 'work'
    work.mkdir()
    (work / 'iter_1.pth').symlink_to(target)
    hook_with_one_checkpoint(work, 'atomic-link')
    assert target.read_bytes() == b'not yours'
    assert not osp.islink(work / 'iter_1.pth')
    assert (work / 'iter_1.pth').read_bytes() == b'complete' * 1000


KILL_WHILE_WRITING = f"""
import builtins, os, runpy, signal, sys
sys.path.insert(0, {osp.dirname(osp.abspath(__file__))!r})
from test_atomic_checkpoint import cutting_open
builtins.open = cutting_open(builtins.open, 'iter_8',
                             lambda: os.kill(os.getpid(), signal.SIGKILL))
sys.argv = sys.argv[1:]
runpy.run_path(sys.argv[0], run_name='__main__')
"""


def test_a_save_killed_mid_write_leaves_the_previous_to_resume_from(
        tiny_image_folder, tmp_path):
    """max_keep_ckpts=1: the job is killed (SIGKILL) a third of the way
    into iter_8.pth; iter_4.pth is complete and --resume goes on from it
    to the end (mmengine's hook would have deleted it first)."""
    work = str(tmp_path / 'work')
    script = tmp_path / 'kill_while_writing.py'
    script.write_text(KILL_WHILE_WRITING)
    options = data_options(tiny_image_folder, 8) + [
        'default_hooks.checkpoint.max_keep_ckpts=1']
    killed = subprocess.run(
        [sys.executable, str(script), 'tools/train.py', TINY_CONFIG,
         '--work-dir', work] + options, cwd=REPO, env=tool_env(),
        capture_output=True, text=True, timeout=300)
    assert killed.returncode == -9, killed.stderr[-3000:]
    assert last_intact_checkpoint(work) == osp.join(work, 'iter_4.pth')
    assert any(n.endswith('.partial') for n in os.listdir(work))
    log = run_script(osp.join(REPO, 'tools/train.py'), TINY_CONFIG,
                     '--work-dir', work, '--resume', *options)
    assert 'Iter(train) [5/8]' in log and 'removing' in log
    ckpt = torch.load(osp.join(work, 'iter_8.pth'), map_location='cpu',
                      weights_only=True)
    assert ckpt['meta']['iter'] == 8
    assert ckpt['meta']['world_size'] == 1 and ckpt['meta']['batch_size'] == 4
    assert sorted(n for n in os.listdir(work) if 'pth' in n) == [
        'iter_8.pth']


@pytest.mark.parametrize('config', [
    'configs/depth/mbv2_vitb-cls-teacher_inverted.py',
    'configs/refilled/digits/wrn-16-1_baseline.py',
    'configs/colourisation/pix2pix_vitb-cls-teacher_inverted.py',
])
def test_every_runtime_writes_checkpoints_atomically(config):
    hooks = Config.fromfile(osp.join(REPO, config)).default_hooks
    assert hooks.checkpoint.type == 'mmxtkd.AtomicCheckpointHook'
