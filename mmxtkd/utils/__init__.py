"""Helpers every part of the package may use: they import no other part of
it (checkpoint loading rules, reading weight files and config literals,
JSON lines)."""
from .checkpoint import allow_mmengine_checkpoint_types
from .pretrained import check_pretrained_inits

__all__ = ['allow_mmengine_checkpoint_types', 'check_pretrained_inits']
