"""Adapters that wrap another library's model and keep its state dict."""
import torch.nn as nn


def adopt_module_tree(owner: nn.Module, model: nn.Module, what: str) -> None:
    """Make ``model``'s children and top-level parameters ``owner``'s own,
    so that ``owner.state_dict()`` is ``model``'s key for key (the files
    its library's hub stores load unchanged) while ``model`` still runs
    them. A top-level buffer is refused: after ``.to()`` the two modules
    would hold different tensors. ``what`` names the model in that error."""
    for name, child in model.named_children():
        owner.add_module(name, child)
    for name, param in model.named_parameters(recurse=False):
        owner.register_parameter(name, param)
    if any(True for _ in model.named_buffers(recurse=False)):
        raise NotImplementedError(
            f'{what} has top-level buffers, which the adapter and the model '
            'would not share after .to()')
