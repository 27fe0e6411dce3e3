import contextlib
import importlib.util
import io
import os
import os.path as osp
import runpy
import sys
import time

import numpy as np
import pytest
import torch
from mmengine.hooks import Hook

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
# a tool run (training on several processes above all) that dies of a
# signal prints every thread's Python stack, so its log says where
os.environ.setdefault('PYTHONFAULTHANDLER', '1')
TINY_CONFIG = osp.join(REPO, 'tests', 'data', 'configs',
                       'tiny_cls_random-teacher_inverted.py')

#: whether the 'editing' extra (mmagic) is installed. Without it (CI's
#: second stack: current huggingface_hub, which mmagic's diffusers cannot
#: take) the image-translation tests are skipped, visibly: the modules that
#: are about it alone are not collected (the report's header lists them),
#: and a test that needs mmagic or runs a colourisation / sat2map config is
#: marked skipped.
HAS_EDITING = importlib.util.find_spec('mmagic') is not None
EDITING_MODULES = ['test_editing_models.py', 'test_fid_from_file.py',
                   'test_sat2map_data.py', 'test_translation_training.py']
collect_ignore = [] if HAS_EDITING else EDITING_MODULES
needs_editing = pytest.mark.skipif(
    not HAS_EDITING, reason="the 'editing' extra (mmagic) is not installed")


def is_editing_config(value) -> bool:
    """A path or name of a colourisation or sat2map config, or mmagic's
    scope."""
    return isinstance(value, str) and (value == 'mmagic' or any(
        task in value for task in ('colourisation', 'sat2map')))


def pytest_report_header(config):
    if not HAS_EDITING:
        return ("the 'editing' extra (mmagic) is not installed: "
                f"{', '.join(EDITING_MODULES)} not collected, the "
                'colourisation and sat2map configs skipped')


def pytest_collection_modifyitems(config, items):
    if HAS_EDITING:
        return
    for item in items:
        params = getattr(item, 'callspec', None)
        if params and any(is_editing_config(v) or (
                isinstance(v, (tuple, list)) and any(map(is_editing_config,
                                                         v)))
                          for v in params.params.values()):
            item.add_marker(needs_editing)


#: when the last run_script call returned
_LAST_RUN_ENDED = [0.0]


def run_script(script: str, *args: str) -> str:
    """Run ``python SCRIPT ARGS...`` as ``__main__`` in this process (an
    interpreter start and its imports saved); returns what it printed.

    A tool's Runner names its experiment by the config and the second it
    starts, and mmengine keeps the visualizer, message hub and logger of
    that name for the process: a second run of the same config within the
    same second would write into the first run's (maybe deleted) folder.
    So a run starts in a later second than the last one ended."""
    ended = _LAST_RUN_ENDED[0]
    if int(time.time()) == int(ended):
        time.sleep(int(ended) + 1 - time.time())
    saved, sys.argv = sys.argv, [script] + [str(a) for a in args]
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out):
            runpy.run_path(script, run_name='__main__')
    finally:
        sys.argv = saved
        _LAST_RUN_ENDED[0] = time.time()
    return out.getvalue()


def write_tiny_image_folder(root: str,
                            per_class: int = 8,
                            size: int = 32) -> str:
    """Two classes, told apart by brightness, in mmpretrain's folder layout."""
    import cv2
    rng = np.random.default_rng(0)
    for label, base in (('dark', 60), ('bright', 190)):
        folder = osp.join(root, label)
        os.makedirs(folder, exist_ok=True)
        for i in range(per_class):
            img = np.clip(base + rng.normal(0, 25, (size, size, 3)), 0, 255)
            cv2.imwrite(osp.join(folder, f'{i:03d}.png'), img.astype(np.uint8))
    return root


def depth_samples(n: int, size, gen):
    """``n`` mmseg samples with random depth (0.5-9.5 m) of ``size``."""
    from mmengine.structures import PixelData
    from mmseg.structures import SegDataSample
    samples = []
    for _ in range(n):
        sample = SegDataSample(gt_depth_map=PixelData(
            data=torch.rand(1, *size, generator=gen) * 9 + 0.5))
        sample.set_metainfo(dict(img_shape=size, pad_shape=size,
                                 ori_shape=size))
        samples.append(sample)
    return samples


@pytest.fixture(scope='session', autouse=True)
def no_pause_between_passes():
    """mmengine's iteration-based loop sleeps 2 s each time it starts
    another pass over the data ('possible deadlock during epoch
    transition', a data-loader worker matter); the tests' tiny data sets
    end a pass every few iterations, so in this process it does not.
    (Runs the tests start as commands still pause.)"""
    from types import SimpleNamespace

    from mmengine.runner import loops
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(loops, 'time', SimpleNamespace(sleep=lambda _: None))
        yield


@pytest.fixture(scope='session', autouse=True)
def config_text_formatted_once():
    """mmengine formats a config's text with yapf each time a Runner logs,
    dumps or checkpoints it (about six times a Runner, 0.1-0.2 s each);
    in this process the same text is formatted once: the result is a
    function of the text and the style alone."""
    import functools
    import json

    from mmengine.config import config
    format_code = config.FormatCode

    @functools.lru_cache(maxsize=512)
    def formatted(text: str, style: str):
        return format_code(text, style_config=json.loads(style))

    def cached(text, style_config=None, **kwargs):
        if kwargs or not isinstance(style_config, dict):
            return format_code(text, style_config=style_config, **kwargs)
        return formatted(text, json.dumps(style_config, sort_keys=True))

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(config, 'FormatCode', cached)
        yield


@pytest.fixture(scope='session', autouse=True)
def no_collection_after_each_data_set():
    """mmengine's BaseDataset runs a full ``gc.collect()`` after it
    serialises its list (to free the list at once): 0.3-0.5 s in this
    process's heap, and the suite builds hundreds of data sets. Here the
    list is freed when Python's own collector gets to it."""
    from types import SimpleNamespace

    from mmengine.dataset import base_dataset
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(base_dataset, 'gc', SimpleNamespace(collect=lambda: 0))
        yield


@pytest.fixture(scope='session')
def tiny_image_folder(tmp_path_factory):
    return write_tiny_image_folder(str(tmp_path_factory.mktemp('tiny_cls')))


@pytest.fixture(scope='session')
def user_folder(tmp_path_factory):
    """A folder whose checkpoints/ holds every file the configs name, made
    as the configs' READMEs say (tests/source_checkpoints.py)."""
    from source_checkpoints import write_user_checkpoints
    return write_user_checkpoints(str(tmp_path_factory.mktemp('user')))


class LossRecorder(Hook):
    """The total loss of every training iteration, and the names of the
    logged training outputs."""

    def __init__(self) -> None:
        self.losses = []
        self.keys = set()

    def after_train_iter(self, runner, batch_idx, data_batch=None,
                         outputs=None) -> None:
        self.losses.append(float(outputs['loss']))
        self.keys |= set(outputs)
