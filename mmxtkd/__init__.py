"""Cross-task knowledge distillation with an inverted projector."""
from .version import __version__

__all__ = ['__version__']
