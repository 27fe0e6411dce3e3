from .checkpoint import allow_mmengine_checkpoint_types
from .launch import (adapt_to_cpu_distributed, add_common_arguments,
                     finish_distributed, load_tool_config)
from .pretrained import check_pretrained_inits
from .scope import build_in_own_scope, split_scope
from .setup_env import register_all_modules

__all__ = [
    'register_all_modules', 'build_in_own_scope', 'split_scope',
    'adapt_to_cpu_distributed', 'allow_mmengine_checkpoint_types',
    'add_common_arguments', 'load_tool_config', 'check_pretrained_inits',
    'finish_distributed'
]
