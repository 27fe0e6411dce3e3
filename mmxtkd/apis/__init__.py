"""What the tools build on: registering every module, launching a run from
a config and the command line, checkpoints of runs, training in-process,
converting weight files."""
from .launch import (adapt_to_cpu_distributed, add_common_arguments,
                     finish_distributed, load_tool_config)
from .setup_env import register_all_modules

__all__ = [
    'register_all_modules', 'adapt_to_cpu_distributed',
    'add_common_arguments', 'load_tool_config', 'finish_distributed'
]
