"""``register_all_modules``, with the signature and behaviour of mmseg's."""
import datetime
import warnings

from mmengine import DefaultScope


def register_all_modules(init_default_scope: bool = True) -> None:
    """Import every mmxtkd module so that it registers itself.

    Args:
        init_default_scope: also make ``'mmxtkd'`` the default scope, so that
            unprefixed types in a config are looked up in mmxtkd's registries
            (and their parents). If another scope is current, a new
            ``'mmxtkd'`` scope instance is created and made current, with a
            warning, exactly as mmseg does.
    """
    import mmxtkd.datasets  # noqa: F401,F811
    import mmxtkd.engine  # noqa: F401,F811
    import mmxtkd.evaluation  # noqa: F401,F811
    import mmxtkd.models  # noqa: F401,F811
    import mmxtkd.models.classification  # noqa: F401,F811
    import mmxtkd.models.depth  # noqa: F401,F811

    if not init_default_scope:
        return
    current = DefaultScope.get_current_instance()
    never_created = current is None or not DefaultScope.check_instance_created(
        'mmxtkd')
    if never_created:
        DefaultScope.get_instance('mmxtkd', scope_name='mmxtkd')
        return
    if current.scope_name != 'mmxtkd':
        warnings.warn('The current default scope '
                      f'"{current.scope_name}" is not "mmxtkd", '
                      '`register_all_modules` will force the current'
                      'default scope to be "mmxtkd". If this is not '
                      'expected, please set `init_default_scope=False`.')
        new_instance_name = f'mmxtkd-{datetime.datetime.now()}'
        DefaultScope.get_instance(new_instance_name, scope_name='mmxtkd')
