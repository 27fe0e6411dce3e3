"""OneCycle whose peak follows the optimizer's learning rate."""
from typing import Optional, Sequence, Union

from mmengine.optim.scheduler import OneCycleLR as MMEngineOneCycleLR

from mmxtkd.registry import PARAM_SCHEDULERS


@PARAM_SCHEDULERS.register_module()
class OneCycleLR(MMEngineOneCycleLR):
    """mmengine's ``OneCycleLR`` with ``eta_max`` optional.

    mmengine's takes its peak from ``eta_max`` alone, so the Runner's
    ``auto_scale_lr`` (which scales the optimizer's lr for the real total
    batch) does not reach it. Left out here, the peak of each param group is
    its lr when the scheduler is built, i.e. after that scaling: a config with
    ``optimizer=dict(lr=2e-4)`` and ``auto_scale_lr=dict(base_batch_size=16)``
    peaks at 2e-4 with a total batch of 16 and at 1e-4 with 8.
    """

    def __init__(self, optimizer,
                 eta_max: Optional[Union[float, Sequence[float]]] = None,
                 **kwargs) -> None:
        if eta_max is None:
            eta_max = [group['lr'] for group in optimizer.param_groups]
        super().__init__(optimizer, eta_max=eta_max, **kwargs)
