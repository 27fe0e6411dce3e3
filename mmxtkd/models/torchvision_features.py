"""A torchvision model by name, cut at one graph node: the teacher adapter
for the weights users download from torchvision's model hub."""
import difflib
import inspect
from typing import Optional

import torch
import torch.nn as nn

from mmxtkd.registry import MODELS
from .adopted_modules import adopt_module_tree


def _freeze_batch_norms(model: nn.Module, eps: float) -> None:
    """Replace each ``BatchNorm2d`` of ``model`` by a ``FrozenBatchNorm2d``."""
    from torchvision.ops.misc import FrozenBatchNorm2d
    for name, module in list(model.named_modules()):
        if type(module) is nn.BatchNorm2d:
            parent, _, child = name.rpartition('.')
            setattr(model.get_submodule(parent), child,
                    FrozenBatchNorm2d(module.num_features, eps=eps))


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
        name: a torchvision builder name (in
            ``torchvision.models.list_models()``).
        node: the graph node whose output is returned, as
            ``torchvision.models.feature_extraction.get_graph_node_names``
            lists it for ``entry``, or a module's name for its last
            operation: e.g. ``'layer4'`` of ResNet-50 (B, 2048, H/32, W/32),
            ``'backbone.layer4'`` of DeepLabV3-ResNet-50 (B, 2048, H/8, W/8),
            ``'encoder'`` of ViT-B/16 (its tokens, B, 1 + N, 768).
        entry: the submodule the images enter, '' for the whole model.
            Detection models take lists of images and resize them, which
            cannot be traced: their backbone is the entry, e.g.
            ``entry='backbone.body', node='layer4'`` for Keypoint R-CNN's
            ResNet-50 (B, 2048, H/32, W/32).
        frozen_bn_eps: when given, every ``BatchNorm2d`` becomes torchvision's
            ``FrozenBatchNorm2d`` with this ``eps``, as torchvision's
            detection builders make it when they load their weights (e.g.
            eps 0 for ``keypointrcnn_resnet50_fpn_coco-fc266e95.pth``; built
            without weights they use ``BatchNorm2d``, eps 1e-5, whose
            ``num_batches_tracked`` those files lack).
        **kwargs: the builder's own arguments (``num_classes``, ``aux_loss``).
    """

    def __init__(self, name: str, node: str, entry: str = '',
                 frozen_bn_eps: Optional[float] = None, **kwargs) -> None:
        super().__init__()
        from torchvision import models
        from torchvision.models.feature_extraction import (
            create_feature_extractor, get_graph_node_names)
        if name not in models.list_models():
            close = difflib.get_close_matches(name, models.list_models(), n=3)
            raise ValueError(f'torchvision has no model {name!r} (close: '
                             f'{close}); see torchvision.models.list_models()')
        builder_args = inspect.signature(
            models.get_model_builder(name)).parameters
        for key in ('weights', 'weights_backbone'):
            if kwargs.get(key) is not None:
                raise ValueError(
                    f'TorchvisionFeatures downloads nothing: drop {key}= and '
                    "give the downloaded file as the FrozenTeacher's "
                    'checkpoint')
            if key in builder_args:  # e.g. deeplabv3's ImageNet backbone
                kwargs[key] = None
        model = models.get_model(name, **kwargs).eval()
        if frozen_bn_eps is not None:
            _freeze_batch_norms(model, frozen_bn_eps)
        traced = model.get_submodule(entry)
        # a node, or a module whose last operation is the node
        try:
            nodes = get_graph_node_names(traced)[1]
        except torch.fx.proxy.TraceError as error:
            raise ValueError(
                f'torchvision {name}{"." + entry if entry else ""} cannot be '
                f'traced ({error}); name the submodule the images enter, '
                "e.g. entry='backbone.body' for detection models") from error
        modules = [name for name, _ in traced.named_modules() if name]
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
        adopt_module_tree(self, model, f'torchvision {name}')
        # ... and the traced extractor runs those same modules and tensors.
        # Outside the module tree, so nothing is registered twice.
        extractor = create_feature_extractor(traced, {node: 'feature'})
        object.__setattr__(self, '_extractor', extractor)
        self.name = name
        self.node = f'{entry}.{node}' if entry else node

    def forward(self, inputs: torch.Tensor) -> torch.Tensor:
        """Images (B, 3, H, W) -> the node's output."""
        return self._extractor(inputs)['feature']

    def extra_repr(self) -> str:
        return f'name={self.name}, node={self.node}'
