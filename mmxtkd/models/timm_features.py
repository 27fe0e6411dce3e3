"""A timm model by name, returning one stage's map: the teacher adapter for
the weights users have from timm's hub (``model.safetensors``,
``pytorch_model.bin``)."""
import difflib

import torch
import torch.nn as nn

from mmxtkd.registry import MODELS
from .adopted_modules import adopt_module_tree


@MODELS.register_module()
class TimmFeatures(nn.Module):
    """``timm.create_model(name, pretrained=False, **kwargs)`` (nothing is
    downloaded), returning the map of its feature stage ``out_index``
    (timm's ``forward_intermediates``: a CNN stage's output, or a ViT
    block's patch tokens as a (B, C, h, w) map), the layers after it not
    run.

    Its state dict is the timm model's, key for key, head included, so the
    file timm's hub stores loads into it unchanged and strictly:
    ``FrozenTeacher(model=dict(type='mmxtkd.TimmFeatures', name=...),
    checkpoint='checkpoints/.../model.safetensors')``; a file of another
    architecture is refused by the teacher with its mismatched keys.
    mmpretrain's ``TIMMBackbone`` is not used: it nests the model under
    ``timm_model.`` and, with ``features_only``, drops the head, so the
    hub's files need their keys rewritten and do not load strictly; and it
    has no token-map output for ViTs.

    Args:
        name: a timm model name (``timm.list_models()``), e.g.
            ``'convnext_tiny'``, ``'efficientnet_b0'``,
            ``'vit_base_patch16_224'``.
        out_index: the feature stage (an index of the model's
            ``feature_info``; -1 the last): ConvNeXt-T's 3 is (B, 768,
            H/32, W/32), a ViT's blocks are its stages.
        **kwargs: ``create_model``'s own (``num_classes``, ``img_size``,
            ``drop_path_rate`` ...).
    """

    def __init__(self, name: str, out_index: int = -1, **kwargs) -> None:
        super().__init__()
        import timm
        if kwargs.get('pretrained') or kwargs.get('pretrained_cfg_overlay'):
            raise ValueError("TimmFeatures downloads nothing: drop "
                             "pretrained= and give the file timm's hub "
                             "stores as the FrozenTeacher's checkpoint")
        kwargs.pop('pretrained', None)
        if not timm.is_model(name):
            close = difflib.get_close_matches(name, timm.list_models(), n=5,
                                              cutoff=0.6)
            raise ValueError(f'timm has no model {name!r} (close: {close}); '
                             'see timm.list_models()')
        model = timm.create_model(name, pretrained=False, **kwargs).eval()
        stages = len(model.feature_info)
        if not -stages <= out_index < stages:
            raise ValueError(f'out_index = {out_index}, but timm {name} has '
                             f'{stages} feature stages (feature_info)')
        if not hasattr(model, 'forward_intermediates'):
            raise ValueError(f'timm {name} has no forward_intermediates, '
                             'which TimmFeatures reads its stage with')
        adopt_module_tree(self, model, f'timm {name}')
        object.__setattr__(self, '_model', model)  # outside the module tree
        self.name = name
        self.out_index = out_index % stages
        self.channels = model.feature_info[self.out_index]['num_chs']

    def forward(self, inputs: torch.Tensor) -> torch.Tensor:
        """Images (B, 3, H, W) -> the stage's map (B, C, h, w)."""
        return self._model.forward_intermediates(
            inputs, indices=[self.out_index], stop_early=True,
            intermediates_only=True)[0]

    def extra_repr(self) -> str:
        return f'name={self.name}, out_index={self.out_index}'
