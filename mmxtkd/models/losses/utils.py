"""Input checks and divergences shared by the losses."""
import torch


def check_pair(pred: torch.Tensor, target: torch.Tensor, name: str,
               same_channels: bool = True) -> None:
    """Check that two (B, C, H, W) maps can be compared; name the mismatch."""
    if target is None:
        raise ValueError(f'{name} compares the student with a teacher map, '
                         'but there is none (teacher-free distillation takes '
                         'SpectralRegLoss)')
    for what, x in (('pred', pred), ('target', target)):
        if x.dim() != 4:
            raise ValueError(f'{name}: {what} must be a (B, C, H, W) map, got '
                             f'shape {tuple(x.shape)}')
    if pred.shape[0] == 0:
        raise ValueError(f'{name}: empty batch (B = 0)')
    def compared(shape):
        return tuple(shape) if same_channels else (shape[0], *shape[2:])

    if compared(pred.shape) != compared(target.shape):
        hint = ('; a projector maps one side to the channels of the other'
                if pred.shape[1] != target.shape[1] else '')
        raise ValueError(f'{name}: pred {tuple(pred.shape)} and target '
                         f'{tuple(target.shape)} do not match{hint}')


def soft_target_kl(p_t: torch.Tensor, log_q: torch.Tensor) -> torch.Tensor:
    """KL(p_t || q) of each row (N, K) -> (N,), for target probabilities
    ``p_t`` and the prediction's log-probabilities ``log_q``; a target
    probability of 0 adds nothing."""
    return (p_t * (torch.log(p_t.clamp_min(1e-30)) - log_q)).sum(1)
