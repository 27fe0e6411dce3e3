"""Cross-task distillation for mmagic's image-translation GANs."""
import copy
from collections import OrderedDict
from typing import Dict, List, Optional, Tuple

import torch
import torch.nn as nn
from mmengine.model import is_model_wrapper

from ..distillation import DISTILLATION_KEYS, Distillation
from ..finite_losses import FiniteLossesMixin


def _unwrapped_keys(module: nn.Module, state_dict: OrderedDict, prefix: str,
                    local_metadata: dict) -> OrderedDict:
    """State-dict keys as without distributed wrappers: mmagic's
    ``MMSeparateDistributedDataParallel`` wraps each child in DDP, so a
    distributed run would save ``generators.module.<domain>...`` where a
    single process saves ``generators.<domain>...``, and a single process
    would load neither the other's weights nor its projector. (mmengine loads
    the plain keys into wrapped children.)"""
    wrapped = [f'{prefix}{name}.' for name, child in module._modules.items()
               if is_model_wrapper(child)]
    if not wrapped:
        return state_dict
    renamed = OrderedDict()
    for key, value in state_dict.items():
        for child in wrapped:
            if key.startswith(child + 'module.'):
                key = child + key[len(child + 'module.'):]
                break
        renamed[key] = value
    if hasattr(state_dict, '_metadata'):
        renamed._metadata = state_dict._metadata
    return renamed


class TranslationDistillMixin(FiniteLossesMixin):
    """Adds the terms of a :class:`~mmxtkd.models.Distillation` to the
    generator loss of an mmagic translation model (``Pix2Pix``,
    ``CycleGAN``); mixed in before it.

    GANs have their own ``train_step``: the terms join the generators' loss
    in ``_get_gen_loss``, logged as ``loss_distill_<name>``, so the
    discriminators' step never sees them and the projector is updated with
    the generators. For that its parameters must be in the generators'
    optimizer, named in mmagic's multi-optimizer config::

        optim_wrapper = dict(
            constructor='MultiOptimWrapperConstructor',
            generators=dict(optimizer=..., modules=['generators', 'distill']),
            discriminators=dict(optimizer=..., modules='discriminators'))

    (checked at the first training step with each optimizer; mmagic's
    constructor needs ``modules`` in every entry once one has it). A NaN or
    Inf loss of either step stops training (:class:`FiniteLossesMixin`).
    ``Z_s`` is captured with forward
    hooks on the generators' encoders while mmagic runs them, so nothing
    runs twice; subclasses say which module ends an encoder and which of a
    step's generator passes is ``Z_s``.

    Args:
        *args, **kwargs: the mmagic model's own arguments, and the
            distillation's (:data:`~mmxtkd.models.distillation.
            DISTILLATION_KEYS`, as :class:`~mmxtkd.models.Distillation`
            takes them), every pair comparing the one ``Z_s`` (so a pair has
            no ``student_feature``).
    """

    def __init__(self, *args, **kwargs) -> None:
        distillation = {key: kwargs.pop(key) for key in DISTILLATION_KEYS
                        if key in kwargs}
        super().__init__(*args, **kwargs)
        self.distill = Distillation(**distillation)
        self._slot: Optional[List[torch.Tensor]] = None
        # (target domain, input, Z_s) of each generator pass of one step
        self._passes: Optional[List[Tuple[str, torch.Tensor,
                                          torch.Tensor]]] = None
        self._checked_optim_wrapper = None  # the one checked to hold P
        for generator in self.generators.values():
            self.encoder_end(generator).register_forward_hook(self._capture)
        self._register_state_dict_hook(_unwrapped_keys)

    #: the mmagic model this one extends, as its config names it
    plain_type: str = ''
    #: the arguments that only distillation uses
    distillation_keys: Tuple[str, ...] = DISTILLATION_KEYS

    # -- what subclasses define ---------------------------------------------
    @staticmethod
    def encoder_end(generator: nn.Module) -> nn.Module:
        """The module whose output is the generator's encoder map."""
        raise NotImplementedError

    def distillation_pair(self, outputs: dict) -> Tuple[torch.Tensor,
                                                         torch.Tensor]:
        """(teacher input (B, 3, H, W), Z_s (B, C_s, h, w)) of this step."""
        raise NotImplementedError

    # -- capture -------------------------------------------------------------
    def _capture(self, module: nn.Module, args, output: torch.Tensor) -> None:
        if self._slot is not None:
            # a copy: the decoder's first activation (mmcv's, in place) would
            # overwrite the map (e.g. the UNet bottleneck's ReLU)
            self._slot.append(output.clone())

    def forward_train(self, img: torch.Tensor, target_domain: str, **kwargs):
        if self._passes is None:
            return super().forward_train(img, target_domain, **kwargs)
        self._slot = []
        try:
            results = super().forward_train(img, target_domain, **kwargs)
            captured = self._slot
        finally:
            self._slot = None
        if len(captured) != 1:
            raise RuntimeError(f'the {target_domain} generator\'s encoder ran '
                               f'{len(captured)} times in one pass; expected '
                               'once')
        self._passes.append((target_domain, img, captured[0]))
        return results

    def find_pass(self, target_domain: str,
                  source: torch.Tensor) -> torch.Tensor:
        """Z_s of this step's pass of the ``target_domain`` generator on the
        tensor ``source`` (the very object mmagic passed)."""
        for domain, img, feature in self._passes or []:
            if domain == target_domain and img is source:
                return feature
        raise RuntimeError(f'no pass of the {target_domain} generator on the '
                           'expected input was captured in this step')

    def init_weights(self) -> None:
        """Each generator and discriminator initialises itself (pix2pix's
        normal init), then the projector. mmagic 1.2's own
        ``BaseTranslationModel.init_weights`` fails on its UNet and ResNet
        generators with an UnboundLocalError (open-mmlab/mmagic#2109)."""
        for nets in (self.generators, self.discriminators):
            if nets is not None:
                for net in self.get_module(nets).values():
                    net.init_weights()
        for _, pair in self.get_module(self.distill).named_pairs():
            if pair.projector is not None:
                pair.projector.init_weights()

    # -- the student alone ---------------------------------------------------
    @classmethod
    def plain_student_config(cls, model_cfg: dict) -> dict:
        """The config of the plain mmagic model: its own type, without the
        distillation arguments."""
        plain = {k: copy.deepcopy(v) for k, v in dict(model_cfg).items()
                 if k not in cls.distillation_keys}
        plain['type'] = cls.plain_type
        return plain

    def student_state_dict(self) -> Dict[str, torch.Tensor]:
        """Generators and discriminators, with the plain model's keys (the
        projector left out)."""
        return OrderedDict((k, v) for k, v in self.state_dict().items()
                           if not k.startswith('distill.'))

    # -- training ------------------------------------------------------------
    def train_step(self, data, optim_wrapper):
        if optim_wrapper is not self._checked_optim_wrapper:
            self._check_projector_is_optimised(optim_wrapper)
            self._checked_optim_wrapper = optim_wrapper
        self._passes = []
        try:
            return super().train_step(data, optim_wrapper)
        finally:
            self._passes = None

    def _check_projector_is_optimised(self, optim_wrapper) -> None:
        params = [p for p in self.distill.parameters() if p.requires_grad]
        if not params:
            return
        optimised = {id(p) for wrapper in optim_wrapper.values()
                     for group in wrapper.optimizer.param_groups
                     for p in group['params']}
        if any(id(p) not in optimised for p in params):
            raise ValueError(
                "the projector's parameters are in no optimizer: add "
                "'distill' to the generators' modules, optim_wrapper = dict("
                "generators=dict(modules=['generators', 'distill'], ...), "
                "discriminators=dict(modules='discriminators', ...))")

    def _get_gen_loss(self, outputs: dict):
        loss_g, log_vars = super()._get_gen_loss(outputs)
        # mmagic's MMSeparateDistributedDataParallel wraps each submodule
        if not self.get_module(self.distill).has_losses():
            return loss_g, log_vars
        teacher_input, student_feat = self.distillation_pair(outputs)
        loss_d, log_d = self.parse_losses(
            self.distill(teacher_input, student_feat))
        loss = loss_g + loss_d
        log_vars.update((k, v) for k, v in log_d.items() if k != 'loss')
        log_vars['loss'] = loss
        return loss, log_vars
