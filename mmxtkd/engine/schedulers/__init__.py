from .one_cycle import OneCycleLR

__all__ = ['OneCycleLR']
