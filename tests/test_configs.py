"""Every config in configs/ builds (model and datasets' pipelines) on CPU
and loads the weights it names (for a traditional twin: its projector, the
rest being its inverted twin's, which is built), in a folder whose
checkpoints/ holds each file made as the configs' README says, from random
weights written in the source layout (tests/source_checkpoints.py)."""
import glob
import inspect
import json
import os
import os.path as osp
import re

import pytest
import torch
from mmengine.config import Config
from mmengine.dataset import Compose
from mmengine.registry import DATASETS, MODELS, DefaultScope

from conftest import HAS_EDITING, REPO, is_editing_config
from mmxtkd.models.projectors import build_projector
from mmxtkd.utils.pretrained import read_state_dict, recomputed_on_load

# the package's configs and those of the projects built on it
CONFIGS = sorted(
    p for p in glob.glob(osp.join(REPO, 'configs', '**', '*.py'),
                         recursive=True) if '_base_' not in p) + sorted(
    p for p in glob.glob(osp.join(REPO, 'projects', '*', 'configs', '**',
                                  '*.py'), recursive=True)
    if not osp.basename(p).startswith('_'))  # a project's shared fragment


#: those this environment can read (a colourisation / sat2map config
#: inherits mmagic's: the editing extra)
READABLE = [p for p in CONFIGS if HAS_EDITING or not is_editing_config(p)]

MODEL_SNAPSHOT = osp.join(REPO, 'tests', 'data', 'config_models.json')


def test_configs_build_the_recorded_models():
    """Every config's ``model`` equals the recorded one, so rewriting how the
    configs inherit from each other cannot change what they build. Update
    tests/data/config_models.json only with a change that means to."""
    with open(MODEL_SNAPSHOT) as f:
        recorded = json.load(f)
    current = {
        osp.relpath(p, osp.join(REPO, 'configs')):
        json.loads(json.dumps(
            Config.fromfile(p, import_custom_modules=False).model.to_dict()))
        for p in READABLE
    }
    recorded = {name: model for name, model in recorded.items()
                if HAS_EDITING or not is_editing_config(name)}
    assert sorted(current) == sorted(recorded)
    changed = [name for name in current if current[name] != recorded[name]]
    assert not changed


def test_there_is_a_config_for_every_family():
    names = {osp.relpath(p, osp.join(REPO, 'configs')) for p in CONFIGS}
    assert 'depth/mbv2_vitb-cls-teacher_inverted.py' in names
    assert 'depth/synthetic/mbv2_vitb-cls-teacher_inverted.py' in names
    # (+ the timm ConvNeXt-T teacher's two, the two-teacher pair and the
    # three transformers teachers' two, not in the paper)
    assert len([n for n in names if n.startswith('depth/mbv2_')]) == 65
    assert len([n for n in names
                if n.startswith('depth/mbv2_spectral-r')]) == 6
    assert len([n for n in names if n.startswith('depth/') and '-teacher_' in n
                and 'ait-' in n]) == 16
    # table 2b: no teacher, and 4 teachers x 2 projections (+ the demo's)
    assert len([n for n in names if n.startswith('colourisation/')]) == 10
    for teacher in ('r50-random', 'dlv3-seg', 'vitb-cls', 'ait-depth'):
        for projection in ('inverted', 'traditional'):
            assert (f'colourisation/pix2pix_{teacher}-teacher_{projection}.py'
                    in names)
    # tables 2c and 10: no teacher, 3 teachers x 2 projections, and Z_s =
    # G_A_E(x) for two of them (+ the demo's)
    assert len([n for n in names if n.startswith('sat2map/')]) == 10
    for teacher in ('r50-random', 'vitb-cls', 'krcnn-kpt'):
        for projection in ('inverted', 'traditional'):
            assert (f'sat2map/cyclegan_{teacher}-teacher_{projection}.py'
                    in names)
    for teacher in ('vitb-cls', 'krcnn-kpt'):
        assert (f'sat2map/cyclegan_{teacher}-teacher_inverted_'
                'translation-feature.py') in names
    # table 3 / S9: SwinV2-B + Decoder alone, and with the spectral loss
    assert {n for n in names if n.startswith('depth/swinv2b_')} == {
        'depth/swinv2b_baseline.py'} | {
            f'depth/swinv2b_spectral-r{r}.py' for r in (1, 2, 4, 8, 16, 32)}
    # supplementary 6.7: frozen encoder, linear maps, frozen decoder
    assert ('depth/linear-bridge_maskrcnn-insseg-encoder_r50-depth-decoder.py'
            in names)
    # table 4: DeiT-Ti alone, and with the spectral loss on tokens / pooled
    assert {n for n in names if n.startswith('teacher_free/deit-ti')} == {
        'teacher_free/deit-ti_baseline.py',
        'teacher_free/deit-ti_spectral-r8.py',
        'teacher_free/deit-ti_spectral-r8_pooled.py'}
    # REFILLED's tables: the CUB teacher on classes 0-99; MobileNet v1 of 4
    # widths alone, REFILLED's stages 1 and 2, and the inverted FitNets;
    # WRN-{40,16}-{2,1} alone (40-2 the teacher), KD and REFILLED
    cub = 'mbv1-cub0-99-teacher'
    assert {n for n in names if n.startswith('refilled/cub/')} == {
        'refilled/cub/mbv1-1.0_cub0-99.py'} | {
            f'refilled/cub/mbv1-{w}_{row}.py'
            for w in ('1.0', '0.75', '0.5', '0.25')
            for row in ('baseline', f'{cub}_refilled-stage1',
                        f'{cub}_refilled-stage2', f'{cub}_inverted')}
    assert {n for n in names if n.startswith('refilled/cifar/')} == {
        f'refilled/cifar/wrn-{s}_{row}.py'
        for s in ('40-2', '16-2', '40-1', '16-1')
        for row in ('baseline', 'wrn-40-2-teacher_kd',
                    'wrn-40-2-teacher_refilled-stage1',
                    'wrn-40-2-teacher_refilled-stage2')}
    # table 2a: no teacher, and 5 teachers x 2 projections, on each data set
    # (+ on ADE20K the two transformers teachers' two, not in the paper)
    for data, count in (('ade20k', 15), ('coco', 11)):
        family = {n for n in names if n.startswith(f'seg/{data}/dlv3-r50_')}
        assert len(family) == count
        for teacher in ('r50-cls', 'dlv3-seg', 'r50-random', 'dlv3-random',
                        'vitb-cls'):
            for projection in ('inverted', 'traditional'):
                assert (f'seg/{data}/dlv3-r50_{teacher}-teacher_{projection}'
                        '.py') in family



def _distils(model: dict) -> bool:
    return bool(model.get('projector') or model.get('distill_pairs'))


def _hook_stated_in_family(path: str) -> bool:
    """Whether ``path``, or a sibling it derives from (its first base is
    ``'./<sibling>.py'``), states the SpectralRankHook: not a ``_base_/``."""
    while True:
        with open(path) as f:
            text = f.read()
        if 'SpectralRankHook' in text:
            return True
        sibling = re.search(r"^_base_ = \[?\s*'\./([^']+\.py)'", text, re.M)
        if sibling is None:
            return False
        path = osp.join(osp.dirname(path), sibling.group(1))


def test_every_distilled_config_is_composed_one_way():
    """Every config that distils (a projector, or pairs) inherits its
    teacher from ``_base_/teachers/<teacher>.py``, where ``<teacher>`` is
    the spelling of its own name (``<student>_<teacher>-teacher_...``, two
    teachers as ``<a>+<b>-teachers``), and states the SpectralRankHook, for
    both projections, in the file it or its inverted twin is."""
    teachers = {osp.splitext(osp.basename(p))[0] for p in glob.glob(
        osp.join(REPO, 'configs', '_base_', 'teachers', '*.py'))}
    checked = 0
    for path in READABLE:
        cfg = Config.fromfile(path, import_custom_modules=False)
        name = osp.basename(path)
        named = re.search(r'_([^_]+)-teachers?_', name)
        if not _distils(cfg.model) or named is None:
            continue
        for teacher in named.group(1).split('+'):
            assert teacher in teachers, (name, teacher)
            assert f"{teacher.replace('-', '_')}_teacher" in cfg, name
        hooks = [h['type'] for h in cfg.get('custom_hooks', [])]
        assert 'mmxtkd.SpectralRankHook' in hooks, name
        assert _hook_stated_in_family(path), (
            f'{name}: no file of its family (it, or the sibling it derives '
            'from) states the SpectralRankHook')
        checked += 1
    assert checked > 100
    assert not glob.glob(osp.join(REPO, 'configs', '_base_', 'distillation'))

def test_the_two_teacher_demo_distils_the_pairs_of_the_real_job():
    """The synthetic twin restates the real job's pairs (two bases that
    both hold a teacher cannot be inherited together): they must agree,
    and its teachers differ only in their weights (random, seeded)."""
    real = Config.fromfile(osp.join(
        REPO, 'configs/depth/mbv2_vitb-cls+dlv3-seg-teachers_inverted.py'))
    demo = Config.fromfile(osp.join(
        REPO, 'configs/depth/synthetic/'
        'mbv2_vitb-cls+dlv3-seg-teachers_inverted.py'))
    assert demo.model.distill_pairs.to_dict() == \
        real.model.distill_pairs.to_dict()
    weights = ('checkpoint', 'init_seed')
    for name, teacher in real.model.teachers.items():
        ours = demo.model.teachers[name]
        assert ours.checkpoint is None
        assert {k: v for k, v in ours.items() if k not in weights} == {
            k: v for k, v in teacher.items() if k not in weights}


def test_the_docs_two_teacher_example_is_the_two_teacher_job(tmp_path):
    import mmxtkd  # noqa: F401  (resolves mmxtkd::)
    with open(osp.join(REPO, 'docs', 'user_guides', 'configs.md')) as f:
        guide = f.read()
    section = guide[guide.index('## Several teachers, several pairs'):]
    code = section.split('```python\n', 1)[1].split('```', 1)[0]
    (tmp_path / 'two.py').write_text(code)
    ours = Config.fromfile(str(tmp_path / 'two.py')).model.to_dict()
    real = Config.fromfile(osp.join(
        REPO, 'configs/depth/mbv2_vitb-cls+dlv3-seg-teachers_inverted.py'))

    def unscoped(cfg):  # mmengine marks what came from mmxtkd:: bases
        if isinstance(cfg, dict):
            return {k: unscoped(v) for k, v in cfg.items() if k != '_scope_'}
        return cfg
    assert unscoped(ours) == unscoped(real.model.to_dict())


@pytest.fixture(scope='module')
def read_once():
    """``torch.load`` reading each file once for the whole module: most
    configs share their weights files, and reading them is most of their
    build time. Callers get their own (shallow) dicts."""
    loaded = {}
    load = torch.load

    def cached(f, *args, **kwargs):
        if not isinstance(f, (str, os.PathLike)):
            return load(f, *args, **kwargs)
        key = (osp.realpath(f), repr(args), repr(sorted(kwargs.items())))
        if key not in loaded:
            loaded[key] = load(f, *args, **kwargs)
        obj = loaded[key]
        if isinstance(obj, dict):
            obj = type(obj)((k, type(v)(v) if isinstance(v, dict) else v)
                            for k, v in obj.items())
        return obj

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(torch, 'load', cached)
        yield


def skip_without_the_transformers_family(cfg: Config) -> None:
    """Skip a config whose transformers teacher's family the installed
    transformers lacks (then tests/source_checkpoints.py wrote no folder)."""
    import transformers

    from source_checkpoints import HUB_ARCHITECTURES
    text = json.dumps(cfg.model.to_dict())
    for folder, arch in HUB_ARCHITECTURES.items():
        if (f'checkpoints/{folder}"' in text or arch in text) and not hasattr(
                transformers, arch):
            pytest.skip(f'transformers {transformers.__version__} has no '
                        f'{arch}')


@pytest.mark.parametrize('path', CONFIGS,
                         ids=[osp.relpath(p, REPO) for p in CONFIGS])
def test_config_builds_and_loads_its_weights(path, user_folder, read_once,
                                             monkeypatch):
    monkeypatch.chdir(user_folder)
    if '/projects/' in path and not osp.exists('projects'):
        # a project's configs run from the repository's root (they name
        # each other and the package's bases by that path): the user folder
        # stands for it
        for folder in ('projects', 'configs'):
            os.symlink(osp.join(REPO, folder), folder)
    # Random draws are most of a big model's build time, and their values are
    # not what this test checks (tests/test_teacher.py checks the seeded
    # teachers): parameters are zeroed, not drawn. (Zeroed, not left as
    # allocated: torch's trunc_normal_, which transformers' ViTs initialise
    # with, redraws until every value is in range, forever on leftovers.)
    for draw in ('uniform_', 'normal_'):
        monkeypatch.setattr(torch.Tensor, draw, lambda t, *a, **k: t.zero_())
    cfg = Config.fromfile(path)
    skip_without_the_transformers_family(cfg)
    rank = re.search(r'_spectral-r(\d+)\.py$', path)
    r2 = rank and path.replace(rank.group(0), '_spectral-r2.py')
    if rank and r2 != path and osp.isfile(r2):
        # differs from its r = 2 twin (built in full) only in the rank
        twin = Config.fromfile(r2)
        twin.model.distill_losses.spectral.rank = int(rank.group(1))
        assert cfg.model.to_dict() == twin.model.to_dict()
        return
    inverted = path.replace('_traditional', '_inverted')
    if inverted != path and osp.isfile(inverted):
        # the inverted twin is built in full (its own case); this config
        # differs from it only in the projector, built here
        twin = Config.fromfile(inverted).model.to_dict()
        ours = cfg.model.to_dict()
        # the projector, or with several pairs each pair's
        pairs = [ours] + list(ours.get('distill_pairs', {}).values())
        twins = [twin] + list(twin.get('distill_pairs', {}).values())
        projectors = [p.pop('projector') for p in pairs if 'projector' in p]
        assert projectors and projectors != [
            t.pop('projector') for t in twins if 'projector' in t]
        assert ours == twin
        for pair in pairs[1:] or pairs:
            pair = dict(ours, **pair)
            projector = build_projector(projectors.pop(0),
                                        pair['student_channels'],
                                        pair['teacher_channels'])
            assert projector.direction == 'student_to_teacher'
        return
    with DefaultScope.overwrite_default_scope(cfg.default_scope):
        model = MODELS.build(cfg.model)
        model.init_weights()
        for loader in ('train_dataloader', 'val_dataloader',
                       'test_dataloader'):
            data = cfg[loader].dataset
            with DATASETS.switch_scope_and_registry(None) as registry:
                dataset_cls = registry.get(data.type)
            if 'lazy_init' in inspect.signature(dataset_cls).parameters:
                pipeline = DATASETS.build(dict(data, lazy_init=True)).pipeline
            else:  # mmagic's data sets scan their folder when built
                pipeline = Compose(data.pipeline)
            assert len(pipeline.transforms) == len(data.pipeline)
    teacher = cfg.model.get('teacher')
    backbone = cfg.model.get('student', {}).get('backbone', {})
    bridged = backbone.get('type') == 'mmxtkd.LinearlyBridgedEncoder'
    if bridged:
        teacher = backbone.encoder
        assert model.student.backbone.encoder.checkpoint == teacher.checkpoint
    elif teacher is not None:
        # a projector for the feature losses; REFILLED and KD relate
        # embeddings and logits without one
        projected = re.search(r'_(inverted|traditional)', path)
        pair = model.distill.pairs['main']
        assert (pair.projector is not None) == bool(projected)
        built = model.distill.teachers['main']
        assert built.checkpoint == teacher.get('checkpoint')
        # a transformers folder's teacher read its weights from the folder
        folder = teacher.model.get('folder') if isinstance(
            teacher.model, dict) else None
        if folder and 'synthetic' not in path:
            assert built.weights == folder
    teachers = dict(cfg.model.get('teachers') or {})
    if teachers:  # several pairs: each projected, each teacher as given
        assert all(pair.projector is not None
                   for _, pair in model.distill.named_pairs())
        assert {name: t.checkpoint for name, t in
                model.distill.teachers.items()} == {
                    name: t.get('checkpoint') for name, t in teachers.items()}
    if 'synthetic' in path:  # no weights on a demo machine
        assert teacher is None or teacher.get('checkpoint') is None
        assert all(t.get('checkpoint') is None for t in teachers.values())
    if 'student' not in cfg.model:  # mmagic's GANs, trained from scratch
        # (or a project's own pretext model, e.g. the study's denoiser)
        assert type(model).__name__ in ('DistillPix2Pix', 'DistillCycleGAN'
                                        ) or '/projects/' in path
        return
    assert type(model).__name__ == 'CrossTaskDistiller'
    # the pretrained part: the encoder, or for 6.7's linear bridge (whose
    # encoder is a FrozenTeacher, checked above) the decoder
    part = 'decode_head' if bridged else 'backbone'
    pretrained = cfg.model.student[part].get('init_cfg')
    if path.endswith('_refilled-stage2.py'):
        # the whole student from its stage 1's run (its default work dir)
        init = cfg.model.student.init_cfg
        stage1 = osp.relpath(path.replace('stage2', 'stage1'),
                             osp.join(REPO, 'configs'))[:-len('.py')]
        demo = 'work_dirs/demo_refilled/stage1/'  # the demo's own layout
        study = 'work_dirs/fashion_refilled/'  # the Fashion-MNIST study's
        assert init.checkpoint.startswith((f'work_dirs/{stage1}/', demo,
                                           study))
        loaded = read_state_dict(init.checkpoint, prefix=init.prefix)
        own = model.student.state_dict()
        assert loaded and set(loaded) == set(own)
        assert all(torch.equal(own[k], v) for k, v in loaded.items())
    # from scratch: the demos, the studies' source models and teachers,
    # DeiT, and REFILLED's networks (as its code)
    if any(k in path for k in ('synthetic', 'cross_task_study/',
                               'teacher_free/deit', 'refilled/',
                               'fashion_study/configs/wrn-16-2_',
                               'fashion_study/configs/wrn-16-1_fashion0-4')):
        assert pretrained is None
    else:  # a zoo's file, or the source model the Fashion study trains
        assert pretrained.checkpoint.startswith(
            ('checkpoints/', 'work_dirs/fashion_study/source.pth'))
        loaded = read_state_dict(pretrained.checkpoint,
                                 prefix=pretrained.get('prefix'))
        module = getattr(model.student, part)
        own = module.state_dict()
        for key in recomputed_on_load(module, loaded):
            assert own[key].shape != loaded.pop(key).shape  # other windows
        assert loaded
        for key, value in loaded.items():
            assert torch.equal(own[key], value)
