"""Each distillation term's size against the task loss over the first
steps: logged, and a warning when one swamps the task loss."""
from typing import Dict, Set

import torch
from mmengine.logging import MessageHub, print_log


class LossScaleMonitor:
    """Over the first ``iters`` training steps, ``ratio/<term>``: each
    distillation term over the task loss (the sum of the student's own
    terms whose key contains ``'loss'``), logged beside the losses as
    ``train/ratio/<term>`` of mmengine's message hub (the loss dict is left
    as it is). The first
    time a term exceeds ``warn_ratio`` times the task loss, a warning names
    the term, the ratio and the remedies.

    Args:
        iters: the steps watched (each reads the ratios back to the host,
            so only the first few).
        warn_ratio: the factor above which a term is said to swamp the
            task loss; None: log only.
    """

    def __init__(self, iters: int = 50, warn_ratio: float = 100.0) -> None:
        self.iters, self.warn_ratio = iters, warn_ratio
        self.steps = 0
        self.warned: Set[str] = set()

    def __call__(self, task_losses: Dict[str, torch.Tensor],
                 distill_terms: Dict[str, torch.Tensor]
                 ) -> Dict[str, torch.Tensor]:
        """``{'ratio/<term>': term / task loss}`` while watching (also
        logged), else {}."""
        task = [v.detach().sum() for k, v in task_losses.items()
                if 'loss' in k and torch.is_tensor(v)]
        if self.steps >= self.iters or not task or not distill_terms:
            return {}
        self.steps += 1
        total = torch.stack(task).sum().abs().clamp_min(1e-12)
        ratios = {f'ratio/{name.replace("loss_", "", 1)}':
                  term.detach().sum() / total
                  for name, term in distill_terms.items()}
        hub = MessageHub.get_current_instance()
        for key, ratio in ratios.items():
            hub.update_scalar(f'train/{key}', float(ratio))
        if self.warn_ratio is not None:
            for (key, ratio), name in zip(ratios.items(), distill_terms):
                if name not in self.warned and float(ratio) > self.warn_ratio:
                    self.warned.add(name)
                    print_log(
                        f'{name} is {float(ratio):.3g} times the task loss '
                        f'({float(total):.3g}) at step {self.steps}: it '
                        'swamps the task. Lower its loss_weight, standardise '
                        "the teacher's map (FrozenTeacher(standardise="
                        'dict(iters=100))), or train with an adaptive '
                        'optimiser (AdamW)', logger='current',
                        level=30)  # logging.WARNING
        return ratios
