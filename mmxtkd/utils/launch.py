"""Adjustments that let the OpenMMLab tools run distributed on CPU processes."""
from mmengine.config import Config
from mmengine.logging import print_log


def adapt_to_cpu_distributed(cfg: Config) -> None:
    """Make a distributed launch work on a machine without GPUs.

    mmengine's ``init_dist`` calls ``torch.cuda.set_device`` and defaults to
    NCCL, and its DDP wrapper passes ``device_ids=[LOCAL_RANK]``; all need a
    GPU. Without one, the process group is initialised here over gloo (the
    Runner then finds it initialised and skips ``init_dist``) and the model is
    wrapped in CPU DDP (``device_ids=None``). Nothing changes when a GPU is
    present or the launcher is ``'none'``.
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
            device_ids=None,
            broadcast_buffers=False,
            find_unused_parameters=cfg.get('find_unused_parameters', False))
    if cfg.launcher == 'pytorch' and not dist.is_initialized():
        dist.init_process_group(backend=dist_cfg['backend'])
    print_log('no GPU: distributed run on CPU processes over '
              f"{dist_cfg['backend']}", logger='current')
