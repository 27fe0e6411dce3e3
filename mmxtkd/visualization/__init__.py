from .sample_panels import (depth_colour_map, sample_panels, seg_overlay,
                            seg_palette)
from .spectrum import plot_spectrum, read_history

__all__ = [
    'read_history', 'plot_spectrum', 'sample_panels', 'depth_colour_map',
    'seg_overlay', 'seg_palette'
]
