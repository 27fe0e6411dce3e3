from .spectrum import plot_spectrum, read_history

__all__ = ['read_history', 'plot_spectrum']
