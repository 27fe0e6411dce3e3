"""tools/train.py, test.py and resume, on the tiny config (dist_train.sh:
test_depth_training.py, test_translation_training.py)."""
import json
import os
import os.path as osp
import subprocess
import sys

import numpy as np
import pytest
import torch

import mmxtkd  # noqa: F401  (allow-lists mmengine checkpoint types)
from conftest import REPO, TINY_CONFIG, run_script


def tool_env(**extra):
    """This interpreter first on PATH (the shell tools call `python`)."""
    path = osp.dirname(sys.executable) + os.pathsep + os.environ['PATH']
    return dict(os.environ, PYTHONPATH=REPO, PATH=path, **extra)


def run(cmd, **kwargs):
    env = tool_env()
    out = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True,
                         text=True, **kwargs)
    assert out.returncode == 0, (out.stdout[-2000:] + out.stderr[-4000:])
    return out.stdout + out.stderr


def data_options(root, max_iters=8):
    return ['--cfg-options', f'train_dataloader.dataset.data_root={root}',
            f'val_dataloader.dataset.data_root={root}',
            f'test_dataloader.dataset.data_root={root}',
            f'train_cfg.max_iters={max_iters}', 'randomness.seed=0']


def scalars(work_dir):
    """Every line of the LocalVisBackend's scalars.json under work_dir."""
    for dirpath, _, files in os.walk(work_dir):
        if 'scalars.json' in files:
            with open(osp.join(dirpath, 'scalars.json')) as f:
                return [json.loads(line) for line in f]
    raise FileNotFoundError(f'no scalars.json under {work_dir}')


@pytest.fixture(scope='module')
def trained(tiny_image_folder, tmp_path_factory):
    """Train 8 iterations (the tool as a command), then resume to 12 (in
    this process: an interpreter start saved); one shared run."""
    work = str(tmp_path_factory.mktemp('train'))
    first = run([sys.executable, 'tools/train.py', TINY_CONFIG, '--work-dir',
                 work] + data_options(tiny_image_folder, 8))
    resumed = run_script(osp.join(REPO, 'tools/train.py'), TINY_CONFIG,
                         '--work-dir', work, '--resume',
                         *data_options(tiny_image_folder, 12),
                         'visualizer.name=trained_resumed')
    return work, first, resumed


def test_train_writes_checkpoints_and_spectra(trained):
    work, first, _ = trained
    assert osp.isfile(osp.join(work, 'iter_8.pth'))
    lines = open(osp.join(work, 'spectral_history.jsonl')).read().splitlines()
    iters = [json.loads(x)['iter'] for x in lines]
    assert iters == [2, 4, 6, 8, 10, 12]
    assert 'loss_distill_fitnets' in first


def test_spectra_restart_with_a_run_and_resume_from_its_checkpoint(tmp_path):
    """Each run starts the history afresh; a resumed run keeps the records
    up to its checkpoint."""
    from types import SimpleNamespace

    from mmxtkd.engine.hooks import SpectralRankHook
    path = tmp_path / 'spectral_history.jsonl'
    for start, expected in ((4, [2, 4]), (0, [])):
        path.write_text(''.join(json.dumps(dict(iter=i, rank=1)) + '\n'
                                for i in (2, 4, 6, 8)))
        SpectralRankHook(interval=2).before_train(
            SimpleNamespace(work_dir=str(tmp_path), iter=start))
        assert [json.loads(x)['iter'] for x in
                path.read_text().splitlines()] == expected
    # a run killed while writing a record: resuming drops the torn line
    path.write_text(json.dumps(dict(iter=2, rank=1)) + '\n{"iter": 4, "ra')
    SpectralRankHook(interval=2).before_train(
        SimpleNamespace(work_dir=str(tmp_path), iter=4))
    assert path.read_text() == json.dumps(dict(iter=2, rank=1)) + '\n'
    # a torn line before the last is not a kill: an error naming the line
    path.write_text('{"iter": 2, "ra\n' + json.dumps(dict(iter=4)) + '\n')
    with pytest.raises(ValueError, match=r'spectral_history.jsonl:1 is not '
                       'a JSON line'):
        SpectralRankHook(interval=2).before_train(
            SimpleNamespace(work_dir=str(tmp_path), iter=4))


def test_resume_continues_from_the_last_checkpoint(trained):
    work, _, resumed = trained
    assert 'resumed' in resumed.lower()
    assert 'Iter(train) [ 9/12]' in resumed
    assert 'Iter(train) [ 1/12]' not in resumed
    assert osp.isfile(osp.join(work, 'iter_12.pth'))
    ckpt = torch.load(osp.join(work, 'iter_12.pth'), map_location='cpu',
                      weights_only=True)
    assert ckpt['meta']['iter'] == 12


def test_logged_rank_matches_numpy_on_the_saved_projector(trained):
    work, _, _ = trained
    ckpt = torch.load(osp.join(work, 'iter_12.pth'), map_location='cpu',
                      weights_only=True)
    p = ckpt['state_dict']['distill.pairs.main.projector.proj.weight']
    p = p.flatten(1).numpy()
    s = np.linalg.svd(p.astype(np.float64), compute_uv=False)
    last = json.loads(open(osp.join(work, 'spectral_history.jsonl'))
                      .read().splitlines()[-1])
    np.testing.assert_allclose(last['singular_values'], s, rtol=1e-6)
    assert last['rank'] == int((s > 0.01 * s[0]).sum())
    logged = [x for x in scalars(work) if 'spectral/rank' in x]
    assert logged[-1]['spectral/rank'] == last['rank']


def test_plot_spectrum_writes_a_png(trained, tmp_path):
    work, _, _ = trained
    out = str(tmp_path / 'fig3.png')
    run_script(osp.join(REPO, 'tools/analysis/plot_spectrum.py'),
               osp.join(work, 'spectral_history.jsonl'), '--out', out)
    with open(out, 'rb') as f:
        assert f.read(8) == b'\x89PNG\r\n\x1a\n'


def test_test_tool_evaluates_the_student_alone(trained, tiny_image_folder,
                                               tmp_path):
    """The teacher is not built: a teacher file that does not exist (which
    training would refuse) does not matter to testing."""
    work, _, _ = trained
    pkl = str(tmp_path / 'preds.pkl')
    out = run_script(
        osp.join(REPO, 'tools/test.py'), TINY_CONFIG,
        osp.join(work, 'iter_12.pth'), '--work-dir', str(tmp_path),
        '--out', pkl, *data_options(tiny_image_folder)[:-2],
        'visualizer.name=tested',
        'model.teacher.checkpoint=/nowhere/teacher.pth')
    assert 'accuracy/top1' in out
    assert 'testing the student alone' in out
    assert osp.getsize(pkl) > 0


def test_auto_scale_lr_scales_the_one_cycle_peak(tiny_image_folder, tmp_path):
    """Total batch 4 against a base of 8: --auto-scale-lr halves the lr
    (2e-3 in the config), and mmxtkd.OneCycleLR's peak follows it: the lrs
    logged over the 8 iterations reach close to 1e-3 and never above (they
    would pass 1.6e-3 unscaled)."""
    child = tmp_path / 'one_cycle.py'
    child.write_text(
        f"_base_ = '{TINY_CONFIG}'\n"
        "param_scheduler = [dict(type='mmxtkd.OneCycleLR', by_epoch=False,\n"
        "                        begin=0, end=8)]\n"
        'auto_scale_lr = dict(enable=False, base_batch_size=8)\n')
    work = str(tmp_path / 'work')
    log = run_script(osp.join(REPO, 'tools/train.py'), str(child),
                     '--work-dir', work, '--auto-scale-lr',
                     *data_options(tiny_image_folder, 8),
                     'visualizer.name=auto_scale_lr')
    assert 'LR is set based on batch size of 8 and the current batch size ' \
        'is 4' in log
    peak = max(x['lr'] for x in scalars(work) if 'lr' in x)
    assert 0.8e-3 < peak <= 1e-3 * (1 + 1e-6)


def test_auto_scale_lr_needs_a_base_batch_size(tmp_path):
    with pytest.raises(ValueError, match=r'has no auto_scale_lr='
                       r'dict\(base_batch_size=\.\.\.\)'):
        run_script(osp.join(REPO, 'tools/train.py'), TINY_CONFIG,
                   '--auto-scale-lr', '--work-dir', tmp_path)


def copy_run(work: str, dest, upto: int) -> str:
    """The trained work dir as it was at iteration ``upto``: its dumped
    config and checkpoints up to then, ``last_checkpoint`` naming the last."""
    import shutil
    dest = str(dest)
    os.makedirs(dest)
    for name in os.listdir(work):
        step = name[len('iter_'):-len('.pth')] if name.startswith('iter_') \
            else None
        if name.endswith('.py') or (step and int(step) <= upto):
            shutil.copy(osp.join(work, name), dest)
    with open(osp.join(dest, 'last_checkpoint'), 'w') as f:
        f.write(osp.join(dest, f'iter_{upto}.pth'))
    return dest


def cut_short(path: str) -> None:
    """A checkpoint as a job killed while writing it leaves it."""
    with open(path, 'rb') as f:
        head = f.read(os.path.getsize(path) // 2)
    with open(path, 'wb') as f:
        f.write(head)


def test_resume_skips_a_checkpoint_cut_short(trained, tiny_image_folder,
                                             tmp_path):
    """A job killed while writing iter_12.pth: --resume warns and goes on
    from iter_8.pth, the newest complete one (mmengine alone fails on the
    torn file); with no complete checkpoint at all it stops, naming them."""
    from mmxtkd.apis.run_checkpoint import last_intact_checkpoint
    work = copy_run(trained[0], tmp_path / 'work', upto=12)
    cut_short(osp.join(work, 'iter_12.pth'))
    assert last_intact_checkpoint(work) == osp.join(work, 'iter_8.pth')
    run_script(osp.join(REPO, 'tools/train.py'), TINY_CONFIG, '--work-dir',
               work, '--resume', *data_options(tiny_image_folder, 10))
    ckpt = torch.load(osp.join(work, 'iter_10.pth'), map_location='cpu',
                      weights_only=True)
    assert ckpt['meta']['iter'] == 10
    for name in os.listdir(work):
        if name.endswith('.pth') and name != 'iter_12.pth':
            cut_short(osp.join(work, name))
    with pytest.raises(RuntimeError, match=r'no complete checkpoint in .*'
                       r'iter_12.pth \(not a complete torch checkpoint'):
        last_intact_checkpoint(work)


def test_resume_with_another_projector_names_what_differs(
        trained, tiny_image_folder, tmp_path):
    work = copy_run(trained[0], tmp_path / 'work', upto=8)
    with pytest.raises(RuntimeError) as err:
        run_script(osp.join(REPO, 'tools/train.py'), TINY_CONFIG,
                   '--work-dir', work, '--resume',
                   *data_options(tiny_image_folder, 10),
                   'model.teacher.model.out_indices=(1,)',
                   'model.projector.in_channels=32')
    message = str(err.value)
    assert 'cannot resume from' in message and 'iter_8.pth' in message
    assert 'distill.pairs.main.projector.' in message and '(64, 32' in message
    assert "model.projector.in_channels: 64 then, 32 now" in message
    assert not osp.exists(osp.join(work, 'iter_9.pth'))


def test_work_dirs_are_named_by_the_path_under_configs(tmp_path):
    from argparse import Namespace

    from mmxtkd.apis.launch import config_name, load_tool_config
    assert config_name('configs/seg/ade20k/a_b.py') == 'seg/ade20k/a_b'
    assert config_name(osp.join(REPO, 'configs/depth/synthetic/x.py')) == \
        'depth/synthetic/x'
    assert config_name('/home/u/configs/a/configs/b/c.py') == 'b/c'
    assert config_name('/home/u/my_configs/c.py') == 'c'
    assert config_name(
        'mmxtkd::depth/mbv2_baseline.py') == 'depth/mbv2_baseline'
    names = {}
    for data in ('ade20k', 'coco'):
        args = Namespace(
            config=osp.join(REPO, 'configs', 'seg', data,
                            'dlv3-r50_baseline.py'),
            work_dir=None, cfg_options=None, launcher='none', local_rank=0)
        cfg = load_tool_config(args)
        names[data] = (cfg.config_name, cfg.work_dir)
    assert names['ade20k'] == ('seg/ade20k/dlv3-r50_baseline',
                               './work_dirs/seg/ade20k/dlv3-r50_baseline')
    assert names['coco'][1] == './work_dirs/seg/coco/dlv3-r50_baseline'


def test_resume_refuses_a_checkpoint_of_another_config(
        trained, tiny_image_folder, tmp_path):
    """A config of the same name in another folder with another teacher of
    the same shapes (as a synthetic twin and its parent): the parameters
    fit, but the run is another's; a config that only lengthens the run's
    schedule continues it."""
    work = copy_run(trained[0], tmp_path / 'work', upto=8)
    twin = tmp_path / 'configs' / 'twin' / osp.basename(TINY_CONFIG)
    twin.parent.mkdir(parents=True)
    twin.write_text(f"_base_ = '{TINY_CONFIG}'\n"
                    'model = dict(teacher=dict(init_seed=1))\n')
    with pytest.raises(RuntimeError, match=r'iter_8.pth: it was written by a '
                       r"run of the config 'tiny_cls_random-teacher_inverted'"
                       r", and this run is of 'twin/tiny_cls_random-teacher_"
                       r"inverted', another model or data set \(model.teacher"
                       r'.init_seed: 0 then, 1 now\)'):
        run_script(osp.join(REPO, 'tools/train.py'), str(twin),
                   '--work-dir', work, '--resume',
                   *data_options(tiny_image_folder, 10))
    assert not osp.exists(osp.join(work, 'iter_9.pth'))
    longer = tmp_path / 'configs' / 'longer.py'
    longer.write_text(f"_base_ = '{TINY_CONFIG}'\n"
                      'train_cfg = dict(max_iters=10)\n')
    log = run_script(osp.join(REPO, 'tools/train.py'), str(longer),
                     '--work-dir', work, '--resume',
                     *data_options(tiny_image_folder, 10))
    assert "'longer' trains the same model on the same data" in log
    assert osp.isfile(osp.join(work, 'iter_10.pth'))


def test_export_student_loads_strictly_into_the_plain_student(
        trained, tmp_path):
    """mmpretrain's own init_model on the exported config and checkpoint:
    every weight loads (strictly), and it predicts as the distiller."""
    from mmengine.runner import load_checkpoint
    from mmpretrain.apis import init_model
    out = str(tmp_path / 'student.pth')
    ckpt = osp.join(trained[0], 'iter_12.pth')
    log = run_script(
        osp.join(REPO, 'tools/model_converters/export_student.py'),
        TINY_CONFIG, ckpt, out,
        '--cfg-options', 'model.teacher.checkpoint=/nowhere.pth')
    assert 'student.py' in log
    state = torch.load(out, map_location='cpu', weights_only=True)
    assert not any(k.startswith(('student.', 'distill.'))
                   for k in state['state_dict'])
    student = init_model(str(tmp_path / 'student.py'), out, device='cpu')
    assert type(student).__name__ == 'ImageClassifier'
    load_checkpoint(student, out, strict=True)
    trained_state = torch.load(ckpt, map_location='cpu',
                               weights_only=True)['state_dict']
    for key, value in student.state_dict().items():
        assert torch.equal(value, trained_state['student.' + key]), key


def test_test_tool_refuses_a_checkpoint_of_another_model(
        trained, tiny_image_folder, tmp_path):
    """A checkpoint that leaves the student's weights missing would be
    tested as the untrained model with exit code 0."""
    other = str(tmp_path / 'other.pth')
    torch.save({'meta': {}, 'state_dict': {
        'backbone.conv1.weight': torch.zeros(8, 3, 3, 3)}}, other)
    args = [TINY_CONFIG, other, '--work-dir', str(tmp_path)] + \
        data_options(tiny_image_folder)[:-1]
    with pytest.raises(
            RuntimeError,
            match=r'does not fit the model of this '
            r'config: \d+ of the model\'s \d+ weights are not in it '
            r'\(student\.'):
        run_script(osp.join(REPO, 'tools/test.py'), *args)
    from mmengine.config import Config
    from mmengine.registry import MODELS

    from mmxtkd.apis.run_checkpoint import check_test_fits
    from mmxtkd.registry import build_in_own_scope
    model = build_in_own_scope(MODELS, Config.fromfile(TINY_CONFIG).model)
    check_test_fits(model, other, allow_missing=True)  # told to: no error
    # a checkpoint of this model without its projector tests fine
    state = torch.load(osp.join(trained[0], 'iter_12.pth'), map_location='cpu',
                       weights_only=True)['state_dict']
    torch.save({'state_dict': {k: v for k, v in state.items()
                               if not k.startswith('distill.')}}, other)
    check_test_fits(model, other)


def test_a_resumed_run_ends_as_the_uninterrupted_one(tiny_image_folder,
                                                     tmp_path):
    """A run of 12 iterations interrupted after its checkpoint at 8 (its
    work dir as it was then) and resumed ends with exactly the weights,
    optimizer state and schedule of the run that went straight to 12, same
    seed (CPU, data loaded in the main process): the resumed loop skips the
    batches already trained on, and the seed comes back from the
    checkpoint."""
    straight = str(tmp_path / 'straight')
    run_script(osp.join(REPO, 'tools/train.py'), TINY_CONFIG, '--work-dir',
               straight, *data_options(tiny_image_folder, 12),
               'visualizer.name=straight')
    work = copy_run(straight, tmp_path / 'interrupted', upto=8)
    run_script(osp.join(REPO, 'tools/train.py'), TINY_CONFIG, '--work-dir',
               work, '--resume', *data_options(tiny_image_folder, 12),
               'visualizer.name=resumed')

    def load(path):
        return torch.load(path, map_location='cpu', weights_only=True)

    resumed = load(osp.join(work, 'iter_12.pth'))
    whole = load(osp.join(straight, 'iter_12.pth'))
    assert resumed['state_dict'].keys() == whole['state_dict'].keys()
    for key, value in whole['state_dict'].items():
        assert torch.equal(resumed['state_dict'][key], value), key
    assert any(k.startswith('distill.pairs.main.projector')
               for k in whole['state_dict'])
    opt_r, opt_w = resumed['optimizer']['state'], whole['optimizer']['state']
    assert opt_r.keys() == opt_w.keys()
    for index in opt_w:
        for name, value in opt_w[index].items():
            assert torch.equal(torch.as_tensor(opt_r[index][name]),
                               torch.as_tensor(value)), (index, name)
    assert resumed['param_schedulers'] == whole['param_schedulers']
    assert resumed['meta']['seed'] == whole['meta']['seed'] == 0


def with_meta(path: str, **meta) -> None:
    """Rewrite the checkpoint ``path`` with ``meta`` entries replaced (a
    file that still passes torch's weights-only check)."""
    ckpt = torch.load(path, map_location='cpu', weights_only=True)
    ckpt['meta'].update(meta)
    torch.save(ckpt, path)


def test_a_checkpoint_config_that_holds_code_runs_nothing(
        trained, tiny_image_folder, tmp_path):
    """Code in a checkpoint's saved config text (as meta 'cfg', or as the
    'config' that mmengine's resume would evaluate) is never executed:
    resumed from the work dir's newest file it continues (the name and the
    settings that are data still compared); given as load_from with a
    'config' text it is refused, naming the file."""
    marker = tmp_path / 'ran'
    code = f"__import__('pathlib').Path({str(marker)!r}).touch()\n"
    work = copy_run(trained[0], tmp_path / 'work', upto=8)
    path = osp.join(work, 'iter_8.pth')
    saved = torch.load(path, map_location='cpu', weights_only=True)
    text = saved['meta']['cfg']
    with_meta(path, cfg=code + text + 'model = dict(x=' + code + ')\n')
    log = run_script(osp.join(REPO, 'tools/train.py'), TINY_CONFIG,
                     '--work-dir', work, '--resume',
                     *data_options(tiny_image_folder, 10))
    assert 'Iter(train) [ 9/10]' in log
    assert not marker.exists()
    # the same text with another config's name: the settings that hold code
    # are not read, so the names alone decide, and they differ
    other = str(tmp_path / 'other.pth')
    torch.save(saved, other)
    with_meta(other, cfg=code + text.replace(
        "config_name = 'tiny_cls_random-teacher_inverted'",
        "config_name = 'other'") + 'model = dict(x=' + code + ')\n')
    with pytest.raises(RuntimeError, match=r"other.pth: it was written by a "
                       r"run of the config 'other'.*not plain data"):
        run_script(osp.join(REPO, 'tools/train.py'), TINY_CONFIG,
                   '--work-dir', str(tmp_path / 'w2'), '--resume',
                   *data_options(tiny_image_folder, 10),
                   f'load_from={other}')
    with_meta(other, cfg=text, config=code)
    with pytest.raises(RuntimeError, match=r"refusing to resume from .*"
                       r"other.pth: its meta holds a 'config' text"):
        run_script(osp.join(REPO, 'tools/train.py'), TINY_CONFIG,
                   '--work-dir', str(tmp_path / 'w3'), '--resume',
                   *data_options(tiny_image_folder, 10),
                   f'load_from={other}')
    assert not marker.exists()


def test_the_saved_config_is_read_as_data():
    from mmxtkd.utils.config_literals import read_literal_assignments
    text = ("a = dict(b=[1, -2.5, (3, )], c={'k': None}, d=True)\n"
            "e = __import__('os').getcwd()\nf = 'x'\nf = g\n"
            "import os\nos.system('exit 1')\n")
    assert read_literal_assignments(text, 'aef') == dict(
        a=dict(b=[1, -2.5, (3, )], c={'k': None}, d=True))
    assert read_literal_assignments('a = (', 'a') == {}
    assert read_literal_assignments('a = ' + '[' * 10000 + ']' * 10000,
                                    'a') == {}


def test_training_afresh_refuses_a_work_dir_with_checkpoints(
        trained, tiny_image_folder, tmp_path):
    """Without --resume, a work dir holding another run's checkpoints is
    refused (train.py and dist_train.sh alike), nothing touched;
    --start-over deletes them and trains."""
    work = copy_run(trained[0], tmp_path / 'work', upto=8)
    before = open(osp.join(work, 'iter_8.pth'), 'rb').read()
    message = (r'already holds the checkpoints of a run \(iter_4.pth, '
               r'iter_8.pth, last_checkpoint\); training afresh there would '
               r'overwrite them\. Continue that run with --resume, train into '
               r'another --work-dir, or give --start-over')
    with pytest.raises(RuntimeError, match=message):
        run_script(osp.join(REPO, 'tools/train.py'), TINY_CONFIG,
                   '--work-dir', work, *data_options(tiny_image_folder, 4))
    dist = subprocess.run(
        ['bash', 'tools/dist_train.sh', TINY_CONFIG, '2', '--work-dir', work]
        + data_options(tiny_image_folder, 4), cwd=REPO,
        env=tool_env(PORT='29531'), capture_output=True, text=True,
        timeout=300)
    assert dist.returncode != 0
    assert 'already holds the checkpoints of a run' in dist.stderr
    assert open(osp.join(work, 'iter_8.pth'), 'rb').read() == before
    log = run_script(osp.join(REPO, 'tools/train.py'), TINY_CONFIG,
                     '--work-dir', work, '--start-over',
                     *data_options(tiny_image_folder, 4))
    assert '--start-over: deleted' in log and 'iter_8.pth' in log
    assert sorted(n for n in os.listdir(work) if n.endswith('.pth')) == [
        'iter_4.pth']


def test_a_moved_work_dir_resumes_from_its_own_files(
        trained, tiny_image_folder, tmp_path, monkeypatch):
    """last_checkpoint holds the absolute path mmengine wrote: a copied
    work dir resumes from its own file of that name; a pointer to a file
    it does not hold is ignored with a warning."""
    from mmxtkd.apis.run_checkpoint import last_intact_checkpoint
    original = copy_run(trained[0], tmp_path / 'original', upto=8)
    import shutil
    moved = str(tmp_path / 'moved')
    shutil.copytree(original, moved)
    os.utime(osp.join(moved, 'iter_4.pth'))  # the newest file by time
    warned = []
    monkeypatch.setattr('mmxtkd.apis.run_checkpoint.print_log',
                        lambda message, **kwargs: warned.append(message))
    assert last_intact_checkpoint(moved) == osp.join(moved, 'iter_8.pth')
    assert 'outside this work dir; resuming from' in warned[0]
    log = run_script(osp.join(REPO, 'tools/train.py'), TINY_CONFIG,
                     '--work-dir', moved, '--resume',
                     *data_options(tiny_image_folder, 9))
    assert f'from path: {osp.join(moved, "iter_8.pth")}' in log
    with open(osp.join(moved, 'last_checkpoint'), 'w') as f:
        f.write('/elsewhere/iter_99.pth')
    assert last_intact_checkpoint(moved) == osp.join(moved, 'iter_9.pth')
    assert 'which this work dir does not hold: ignored' in warned[-1]


def test_resuming_with_another_total_batch_says_so(trained, tmp_path):
    from mmxtkd.apis.run_checkpoint import total_batch_note
    path = osp.join(trained[0], 'iter_8.pth')
    assert total_batch_note(path, 1, 4) == ''
    assert total_batch_note(path, 2, 4).endswith(
        'was trained with a total batch of 1 x 4 = 4 (processes x batch per '
        'process), this run has 2 x 4 = 8: the schedule continues with '
        'another batch and the same learning rate (--auto-scale-lr scales '
        'it)')
    old = str(tmp_path / 'old.pth')
    ckpt = torch.load(path, map_location='cpu', weights_only=True)
    del ckpt['meta']['world_size']
    torch.save(ckpt, old)
    assert total_batch_note(old, 2, 4) == ''  # not recorded: nothing said
