"""Refusing to train on a NaN or Inf loss."""
from typing import Dict, Tuple

import torch
from mmengine.logging import MessageHub


class FiniteLossesMixin:
    """``parse_losses`` that raises, naming the terms and the iteration,
    when a loss term is NaN or Inf, before the optimizer would step on it
    (mmengine would train on, and every weight would turn NaN). Mixed in
    before the model class; every ``train_step`` (mmengine's, its DDP
    wrapper's, mmagic's GAN steps) goes through ``parse_losses``."""

    def parse_losses(self, losses: Dict[str, torch.Tensor]
                     ) -> Tuple[torch.Tensor, Dict[str, torch.Tensor]]:
        loss, log_vars = super().parse_losses(losses)
        if not torch.isfinite(loss.detach()).all():
            terms = {k: sum(x.detach().float().mean() for x in v)
                     if isinstance(v, (list, tuple)) else
                     v.detach().float().mean()
                     for k, v in losses.items() if 'loss' in k}
            bad = [f'{k} = {float(v):g}' for k, v in terms.items()
                   if not torch.isfinite(v)]
            fine = [f'{k} = {float(v):.4g}' for k, v in terms.items()
                    if torch.isfinite(v)]
            step = MessageHub.get_current_instance().get_info('iter')
            at = f' at iteration {step + 1}' if step is not None else ''
            advice = self._teacher_fault() or (
                'resume from the last checkpoint with a lower learning '
                'rate, or look at the data of this iteration')
            raise FloatingPointError(
                f'non-finite loss{at}: {", ".join(bad) or "the total"}'
                f'{" (finite: " + ", ".join(fine) + ")" if fine else ""}. '
                f'Training stops here rather than step on it; {advice}.')
        return loss, log_vars

    def _teacher_fault(self) -> str:
        """The distillation's own diagnosis (a non-finite teacher map), if
        the model distils (``self.distill``, DDP-wrapped or not)."""
        distill = getattr(self, 'distill', None)
        distill = getattr(distill, 'module', distill)
        fault = getattr(distill, 'teacher_fault', None)
        return fault() if fault is not None else ''
