"""What tools/train.py, tools/test.py and the training benchmark share: their
common command-line options, loading the config they run, running
distributed on CPUs, and mixed precision."""
import argparse
import gc
import logging
import os
import os.path as osp
from typing import TYPE_CHECKING, Optional

from mmengine.config import Config, DictAction
from mmengine.logging import print_log

from mmxtkd.compatibility import extra_of, missing_extra

if TYPE_CHECKING:
    from mmengine.runner import Runner


def add_common_arguments(parser: argparse.ArgumentParser) -> None:
    """``--cfg-options``, ``--launcher``, ``--local-rank``, as in mmseg."""
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override some settings in the used config, the key-value pair '
        'in xxx=yyy format will be merged into config file. If the value to '
        'be overwritten is a list, it should be like key="[a,b]" or key=a,b '
        'It also allows nested list/tuple values, e.g. key="[(a,b),(c,d)]" '
        'Note that the quotation marks are necessary and that no white space '
        'is allowed.')
    parser.add_argument(
        '--launcher',
        choices=['none', 'pytorch', 'slurm', 'mpi'],
        default='none',
        help='job launcher')
    # torch.distributed.launch passes --local-rank; torchrun sets LOCAL_RANK
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)


def config_name(path: str) -> str:
    """The name a config's runs go by: its path under the last ``configs``
    folder without ``.py`` (``configs/seg/ade20k/x.py`` -> ``seg/ade20k/x``),
    so that configs of one file name in different folders (``seg/ade20k/``
    and ``seg/coco/``, ``depth/`` and ``depth/synthetic/``) never share a
    work dir; the file name alone for a config outside a ``configs``
    folder. A package path ``'mmxtkd::depth/x.py'`` is ``depth/x``."""
    if '::' in path:
        return osp.splitext(path.split('::', 1)[1])[0]
    parts = osp.normpath(osp.abspath(path)).split(osp.sep)
    if 'configs' in parts[:-1]:
        last = len(parts) - 2 - parts[-2::-1].index('configs')
        parts = parts[last + 1:]
    else:
        parts = parts[-1:]
    return osp.splitext('/'.join(parts))[0]


def load_tool_config(args: argparse.Namespace) -> Config:
    """The config of ``args.config`` with the common options applied, and
    its :func:`config_name` as ``cfg.config_name`` (saved with every
    checkpoint's config, so that ``--resume`` can tell runs apart); the
    work dir is ``--work-dir``, else the config's, else
    ``./work_dirs/<config name>``."""
    if 'LOCAL_RANK' not in os.environ:
        os.environ['LOCAL_RANK'] = str(args.local_rank)
    try:
        cfg = Config.fromfile(args.config)
    except ImportError as err:  # a config of an extra that is not installed
        extra = extra_of(err)
        if extra is None:
            raise
        raise missing_extra(extra, err) from err
    cfg.launcher = args.launcher
    if args.cfg_options is not None:
        cfg.merge_from_dict(args.cfg_options)
    cfg.config_name = config_name(args.config)
    if args.work_dir is not None:
        cfg.work_dir = args.work_dir
    elif cfg.get('work_dir', None) is None:
        cfg.work_dir = osp.join('./work_dirs', cfg.config_name)
    return cfg


def adapt_to_cpu_distributed(cfg: Config) -> None:
    """Make a distributed launch work on a machine without GPUs.

    mmengine's ``init_dist`` calls ``torch.cuda.set_device`` and defaults to
    NCCL, and its DDP wrapper passes ``device_ids=[LOCAL_RANK]``; all need a
    GPU. Without one, the process group is initialised here over gloo (the
    Runner then finds it initialised and skips ``init_dist``) and the model's
    DDP wrapper (mmengine's default, or the config's own, e.g. mmagic's
    ``MMSeparateDistributedDataParallel``) gets ``device_ids=None``, as CPU
    modules need. torch's SyncBatchNorm runs on GPUs only, so a config's
    ``sync_bn`` is dropped, with a warning: BN normalises each process's
    share. Nothing changes when a GPU is present or the launcher is
    ``'none'``.
    """
    import torch
    import torch.distributed as dist
    if cfg.get('launcher', 'none') == 'none' or torch.cuda.is_available():
        return
    env_cfg = cfg.setdefault('env_cfg', {})
    dist_cfg = env_cfg.setdefault('dist_cfg', {})
    if dist_cfg.get('backend', 'nccl') == 'nccl':
        dist_cfg['backend'] = 'gloo'
    if cfg.get('model_wrapper_cfg') is None:
        cfg.model_wrapper_cfg = dict(
            type='MMDistributedDataParallel',
            broadcast_buffers=False,
            find_unused_parameters=cfg.get('find_unused_parameters', False))
    cfg.model_wrapper_cfg['device_ids'] = None
    if cfg.get('sync_bn') is not None:
        print_log(f"no GPU: sync_bn={cfg.sync_bn!r} is dropped (SyncBatchNorm "
                  'needs GPUs); BatchNorm normalises each process\'s share '
                  'of the batch', logger='current', level=logging.WARNING)
        cfg.sync_bn = None
    if cfg.launcher == 'pytorch' and not dist.is_initialized():
        dist.init_process_group(backend=dist_cfg['backend'])
    print_log('no GPU: distributed run on CPU processes over '
              f"{dist_cfg['backend']}", logger='current')


def finish_distributed(runner: Optional['Runner'] = None) -> None:
    """Tear the process group down before the interpreter exits, the
    ``runner``'s model first (the runner cannot train or test after).

    The DDP wrappers hold the group, and destroying it stops none of gloo's
    threads while a wrapper lives (2 run loops and a TCP loop,
    tests/test_distributed_parity.py): left to interpreter shutdown, they
    can abort the finished process ('terminate called without an active
    exception'). So the model is dropped and collected, then the group
    goes, while the interpreter is whole. The runner itself stays: collected
    with it, its data loaders' persistent workers would miss their stop
    signal and each wait out torch's 5 s before being killed."""
    import torch.distributed as dist
    if not (dist.is_available() and dist.is_initialized()):
        return
    if runner is not None:
        runner.model = None
    gc.collect()
    dist.barrier()
    dist.destroy_process_group()


def use_amp_optim_wrapper(cfg: Config, dtype: str) -> None:
    """``--amp``: every optimizer wrapper of the config (one, or one per
    submodule as mmagic's GANs have) becomes mmengine's ``AmpOptimWrapper``
    in ``dtype`` with dynamic loss scaling, unless the config sets them;
    a wrapper of another kind is an error naming it."""
    wrapper = cfg.optim_wrapper
    if 'optimizer' in wrapper:
        wrappers = {'optim_wrapper': wrapper}
    else:  # MultiOptimWrapperConstructor: a wrapper per submodule
        wrappers = {f'optim_wrapper.{k}': v for k, v in wrapper.items()
                    if isinstance(v, dict) and 'optimizer' in v}
    for key, sub in wrappers.items():
        kind = sub.get('type', 'OptimWrapper')
        if kind == 'AmpOptimWrapper':
            print_log(f'{key} is already an AmpOptimWrapper',
                      logger='current')
            continue
        if kind != 'OptimWrapper':
            raise ValueError(f'--amp turns an OptimWrapper into an '
                             f'AmpOptimWrapper, but {key}.type is {kind}')
        sub.type = 'AmpOptimWrapper'
        sub.setdefault('dtype', dtype)
        sub.setdefault('loss_scale', 'dynamic')


def enable_amp(cfg: Config) -> None:
    """``--amp`` of the training tools: mmengine's AmpOptimWrapper, in
    bfloat16 where the GPU supports it (float32's range: nothing
    overflows), else float16, both with dynamic loss scaling (a no-op in
    effect for bfloat16)."""
    import torch
    if not torch.cuda.is_available():
        raise SystemExit(
            "--amp needs a CUDA GPU: mmengine's AmpOptimWrapper refuses to "
            'train on a CPU. Train without --amp here.')
    use_amp_optim_wrapper(
        cfg, 'bfloat16' if torch.cuda.is_bf16_supported() else 'float16')
