"""mmengine's look-up of ``mmxtkd::<path>.py`` configs.

mmengine 0.10 resolves ``pkg::path`` only for the packages in its
``MODULE2PACKAGE`` table, and reads the configs from ``<folder>/.mim/configs``
(setup.py ships them there), where ``<folder>`` is found by
``get_installed_path(MODULE2PACKAGE[pkg])``: the distribution's location if a
distribution of that name exists, else the folder of the module that
``importlib`` finds under that name. For an editable install the
distribution's location is site-packages, not the checkout, so the table
entry names this module instead of the distribution: no distribution has
that name, and the module lies in mmxtkd's own folder in an editable and in
a regular install alike.
"""
import os.path as osp

#: the MODULE2PACKAGE value for 'mmxtkd'
CONFIG_PACKAGE = __name__


def register_config_package() -> None:
    """Add the one entry ``'mmxtkd'`` to mmengine's ``MODULE2PACKAGE``.

    It runs when mmxtkd is imported, so it must happen before
    ``Config.fromfile`` parses a config that inherits from mmxtkd."""
    from mmengine.config import utils
    utils.MODULE2PACKAGE.setdefault('mmxtkd', CONFIG_PACKAGE)


def configs_folder() -> str:
    """Where ``mmxtkd::`` config paths are looked up."""
    return osp.join(osp.dirname(osp.abspath(__file__)), '.mim', 'configs')
