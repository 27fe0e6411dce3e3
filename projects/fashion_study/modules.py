"""The Fashion-MNIST study's own modules: the two pretext tasks its
cross-task teachers are trained on (rotation prediction, denoising) and the
plain convolutional encoder that gives the study a second architecture.

Imported by the study (``fashion_study.py``) and by its configs
(``custom_imports``); they register into mmxtkd's registries.
"""
from typing import List, Optional, Sequence, Tuple

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from mmcv.transforms import BaseTransform
from mmengine.evaluator import BaseMetric
from mmengine.model import BaseModel, ImgDataPreprocessor

from mmxtkd.registry import METRICS, MODELS, TRANSFORMS


@TRANSFORMS.register_module()
class RotationLabel(BaseTransform):
    """Rotation prediction's sample: the image turned by ``k`` quarter
    turns (k uniform in 0-3, from the transform's own generator) and
    ``gt_label = k``; the class label is discarded."""

    def __init__(self, seed: Optional[int] = None) -> None:
        self.rng = np.random.default_rng(seed)

    def transform(self, results: dict) -> dict:
        k = int(self.rng.integers(4))
        results['img'] = np.ascontiguousarray(np.rot90(results['img'], k))
        results['gt_label'] = k
        return results


@MODELS.register_module()
class PlainConvNet(nn.Module):
    """A VGG-style encoder: per stage two 3x3 convolution-BN-ReLU, the
    first strided (strides 1, 2, 2), ``widths`` channels. (B, C_in, H, W)
    -> a tuple of the last stage's (B, widths[-1], H/4, W/4)."""

    def __init__(self, in_channels: int = 1,
                 widths: Sequence[int] = (32, 64, 128)) -> None:
        super().__init__()
        layers, channels = [], in_channels
        for index, width in enumerate(widths):
            for conv in range(2):
                stride = 2 if index and not conv else 1
                layers += [nn.Conv2d(channels, width, 3, stride, 1,
                                     bias=False),
                           nn.BatchNorm2d(width), nn.ReLU(inplace=True)]
                channels = width
        self.layers = nn.Sequential(*layers)
        self.out_channels = channels

    def forward(self, x: torch.Tensor) -> Tuple[torch.Tensor]:
        return (self.layers(x), )


@MODELS.register_module()
class Denoiser(BaseModel):
    """Denoising: an encoder's map decoded back to the image (two x2
    transposed convolutions, the encoder's stride 4), trained to remove
    Gaussian noise of ``sigma`` (on the 0-1 scale) with the mean squared
    error. ``predict`` gives each image's PSNR (dB) after denoising.

    Args:
        backbone: the encoder's config (its map: (B, C, H/4, W/4)).
        sigma: the noise's standard deviation, 0-1 scale.
        noise_seed: the seed of the noise in ``predict`` (fixed, so that a
            validation always sees the same noisy images).
    """

    def __init__(self, backbone: dict, sigma: float = 0.3,
                 noise_seed: int = 0, data_preprocessor=None,
                 init_cfg=None) -> None:
        super().__init__(
            data_preprocessor=data_preprocessor or ImgDataPreprocessor(
                mean=[0.0], std=[255.0]),
            init_cfg=init_cfg)
        self.backbone = MODELS.build(backbone)
        width = self.backbone.out_channels
        self.decoder = nn.Sequential(
            nn.ConvTranspose2d(width, width // 2, 4, 2, 1),
            nn.ReLU(inplace=True),
            nn.ConvTranspose2d(width // 2, width // 4, 4, 2, 1),
            nn.ReLU(inplace=True), nn.Conv2d(width // 4, 1, 3, 1, 1))
        self.sigma = sigma
        self.noise_seed = noise_seed

    def denoise(self, noisy: torch.Tensor) -> torch.Tensor:
        return noisy + self.decoder(self.backbone(noisy)[-1])

    def forward(self, inputs: torch.Tensor, data_samples=None,
                mode: str = 'tensor'):
        if mode == 'loss':
            noisy = inputs + self.sigma * torch.randn_like(inputs)
            return dict(loss_mse=F.mse_loss(self.denoise(noisy), inputs))
        if mode == 'predict':
            return self._predict(inputs)
        return self.backbone(inputs)

    @torch.no_grad()
    def _predict(self, inputs: torch.Tensor) -> List[dict]:
        """Each image's PSNR (dB) after denoising a fixed noise."""
        generator = torch.Generator(inputs.device)
        generator.manual_seed(self.noise_seed)
        noise = torch.randn(inputs.shape, generator=generator,
                            device=inputs.device)
        clean = self.denoise(inputs + self.sigma * noise).clamp(0, 1)
        mse = (clean - inputs).pow(2).flatten(1).mean(1)
        return [dict(psnr=float(-10 * torch.log10(m.clamp_min(1e-10))))
                for m in mse]


@METRICS.register_module()
class MeanPSNR(BaseMetric):
    """The mean of the predictions' ``psnr``."""

    def process(self, data_batch, data_samples: List[dict]) -> None:
        self.results += [sample['psnr'] for sample in data_samples]

    def compute_metrics(self, results: list) -> dict:
        return dict(PSNR=float(np.mean(results)))
