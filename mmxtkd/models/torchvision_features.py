"""A torchvision model by name, cut at one graph node: the teacher adapter
for the weights users download from torchvision's model hub."""
import difflib
import inspect

import torch
import torch.nn as nn

from mmxtkd.registry import MODELS


@MODELS.register_module()
class TorchvisionFeatures(nn.Module):
    """``torchvision.models.get_model(name, weights=None, **kwargs)`` (and
    ``weights_backbone=None``: nothing is downloaded), returning
    the output of its graph node ``node`` (torchvision's feature extraction).

    Its state dict is the torchvision model's, key for key, so the file a
    user downloads from torchvision's hub (``resnet50-0676ba61.pth``,
    ``deeplabv3_resnet50_coco-cd0a2569.pth``, ``vit_b_16-c867db91.pth``)
    loads into it unchanged, strictly:
    ``FrozenTeacher(model=dict(type='mmxtkd.TorchvisionFeatures', name=...,
    node=...), checkpoint=...)``. The layers after ``node`` (heads,
    classifiers) are kept for that, but never run.

    Args:
        name: a torchvision builder name (``torchvision.models.list_models()``).
        node: the graph node whose output is returned, as
            ``torchvision.models.feature_extraction.get_graph_node_names``
            lists it, or a module's name for its last operation: e.g. ``'layer4'`` of ResNet-50 (B, 2048, H/32, W/32),
            ``'backbone.layer4'`` of DeepLabV3-ResNet-50 (B, 2048, H/8, W/8),
            ``'encoder'`` of ViT-B/16 (its tokens, B, 1 + N, 768).
        **kwargs: the builder's own arguments (``num_classes``, ``aux_loss``).
    """

    def __init__(self, name: str, node: str, **kwargs) -> None:
        super().__init__()
        from torchvision import models
        from torchvision.models.feature_extraction import (
            create_feature_extractor, get_graph_node_names)
        if name not in models.list_models():
            close = difflib.get_close_matches(name, models.list_models(), n=3)
            raise ValueError(f'torchvision has no model {name!r} (close: '
                             f'{close}); see torchvision.models.list_models()')
        builder_args = inspect.signature(models.get_model_builder(name)).parameters
        for key in ('weights', 'weights_backbone'):
            if kwargs.get(key) is not None:
                raise ValueError(
                    f'TorchvisionFeatures downloads nothing: drop {key}= and '
                    "give the downloaded file as the FrozenTeacher's "
                    'checkpoint')
            if key in builder_args:  # e.g. deeplabv3's ImageNet backbone
                kwargs[key] = None
        model = models.get_model(name, **kwargs).eval()
        # a node, or a module whose last operation is the node
        nodes = get_graph_node_names(model)[1]
        modules = [name for name, _ in model.named_modules() if name]
        if node not in nodes and not any(
                n.startswith(node + '.') for n in nodes):
            close = difflib.get_close_matches(node, modules + nodes, n=5,
                                              cutoff=0.4)
            raise ValueError(
                f'torchvision {name} has no graph node {node!r}; close ones: '
                f'{close} (all: torchvision.models.feature_extraction.'
                f'get_graph_node_names)')
        # The model's own children and top-level parameters become this
        # module's, so that the state dict keys are torchvision's ...
        for child_name, child in model.named_children():
            self.add_module(child_name, child)
        for param_name, param in model.named_parameters(recurse=False):
            self.register_parameter(param_name, param)
        if any(True for _ in model.named_buffers(recurse=False)):
            raise NotImplementedError(
                f'torchvision {name} has top-level buffers, which the '
                'extractor would not share')
        # ... and the traced extractor runs those same modules and tensors.
        # Outside the module tree, so nothing is registered twice.
        extractor = create_feature_extractor(model, {node: 'feature'})
        object.__setattr__(self, '_extractor', extractor)
        self.name = name
        self.node = node

    def forward(self, inputs: torch.Tensor) -> torch.Tensor:
        """Images (B, 3, H, W) -> the node's output."""
        return self._extractor(inputs)['feature']

    def extra_repr(self) -> str:
        return f'name={self.name}, node={self.node}'
