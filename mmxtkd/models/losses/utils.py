"""Input checks shared by the feature losses."""
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
