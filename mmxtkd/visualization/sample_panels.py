"""One data-pipeline output as an image to look at: its input image(s) and
its label drawn as each task's data reads (a depth map as a colour map, a
segmentation map over its image, a class name on its image).

The pipelines of every task leave images as ``(3, H, W)`` tensors in the
BGR order ``LoadImageFromFile`` reads, as ``cv2.imwrite`` writes them.
"""
from typing import List, Optional, Sequence

import cv2
import numpy as np
import torch

#: colour of pixels without a depth
UNLABELLED = (0, 0, 0)
#: the label mmseg's pipelines give pixels without a class
IGNORE_INDEX = 255


def image_array(image: torch.Tensor) -> np.ndarray:
    """A ``(3, H, W)`` or ``(1, H, W)`` image tensor as ``(H, W, 3)`` uint8:
    uint8 as is; floats in [0, 1] scaled to 255, others clipped to
    [0, 255]."""
    if image.dim() != 3 or image.shape[0] not in (1, 3):
        raise ValueError(f'an image must be (3, H, W) or (1, H, W), got '
                         f'{tuple(image.shape)}')
    array = image.detach().cpu()
    if array.dtype != torch.uint8:
        array = array.float()
        if array.numel() and float(array.max()) <= 1.0:
            array = array * 255.0
        array = array.clamp(0, 255).round().to(torch.uint8)
    array = array.permute(1, 2, 0).numpy()
    return np.repeat(array, 3, axis=2) if array.shape[2] == 1 else array


def depth_colour_map(depth: torch.Tensor) -> np.ndarray:
    """A depth map ``(1, H, W)`` or ``(H, W)`` (metres, 0 = no measurement)
    as an ``(H, W, 3)`` colour map scaled to its valid range, near dark and
    far bright; pixels without a depth are black."""
    depth = depth.detach().cpu().float().reshape(depth.shape[-2:]).numpy()
    valid = np.isfinite(depth) & (depth > 0)
    scaled = np.zeros(depth.shape, np.uint8)
    if valid.any():
        low, high = depth[valid].min(), depth[valid].max()
        span = high - low if high > low else 1.0
        scaled[valid] = np.round(255 * (depth[valid] - low) / span).astype(
            np.uint8)
    coloured = cv2.applyColorMap(scaled, cv2.COLORMAP_INFERNO)
    coloured[~valid] = UNLABELLED
    return coloured


def seg_palette(num_classes: int,
                palette: Optional[Sequence[Sequence[int]]] = None
                ) -> np.ndarray:
    """``(num_classes, 3)`` BGR colours: the data set's RGB ``palette``
    where it has one per class, else fixed random colours (seed 0)."""
    if palette is not None and len(palette) >= num_classes:
        return np.asarray(palette, np.uint8)[:num_classes, ::-1]
    return np.random.default_rng(0).integers(
        40, 256, (num_classes, 3), dtype=np.uint8)


def seg_overlay(image: np.ndarray, labels: torch.Tensor,
                palette: np.ndarray, ignore_index: int = IGNORE_INDEX,
                alpha: float = 0.5) -> np.ndarray:
    """``image`` (H, W, 3) with each labelled pixel of ``labels`` (1, H, W)
    blended with its class colour; ignored pixels keep the image."""
    labels = labels.detach().cpu().reshape(labels.shape[-2:]).long().numpy()
    if labels.shape != image.shape[:2]:
        raise ValueError(f'the label map is {labels.shape}, its image '
                         f'{image.shape[:2]}')
    known = (labels != ignore_index) & (labels >= 0) & (
        labels < len(palette))
    out = image.copy()
    colours = palette[labels[known]].astype(np.float32)
    out[known] = np.round((1 - alpha) * image[known] +
                          alpha * colours).astype(np.uint8)
    return out


def with_caption(image: np.ndarray, text: str) -> np.ndarray:
    """``image`` above a strip holding ``text``, made smaller where it would
    run past a narrow image's edge."""
    font, scale = cv2.FONT_HERSHEY_SIMPLEX, 0.4
    (width, _), _ = cv2.getTextSize(text, font, scale, 1)
    scale *= min(1.0, (image.shape[1] - 4) / max(width, 1))
    strip = np.zeros((18, image.shape[1], 3), np.uint8)
    cv2.putText(strip, text, (2, 13), font, scale, (255, 255, 255), 1,
                cv2.LINE_AA)
    return np.concatenate([image, strip], axis=0)


def _side_by_side(panels: List[np.ndarray]) -> np.ndarray:
    height = max(p.shape[0] for p in panels)
    padded = [np.pad(p, ((0, height - p.shape[0]), (0, 0), (0, 0)))
              for p in panels]
    return np.concatenate(padded, axis=1)


def sample_panels(sample: dict, metainfo: Optional[dict] = None
                  ) -> np.ndarray:
    """One pipeline output (``{'inputs', 'data_samples'}``) as an image:

    - ``inputs`` a dict of images (image translation): each, captioned with
      its key, side by side;
    - an image with ``gt_depth_map``: the image | its depth colour map;
    - an image with ``gt_sem_seg``: the image | the labels over it;
    - an image with ``gt_label``: the image captioned with its class.

    ``metainfo`` is the data set's (``classes``, ``palette``)."""
    metainfo = metainfo or {}
    inputs, data = sample['inputs'], sample.get('data_samples')
    if isinstance(inputs, dict):
        if not inputs:
            raise ValueError('the sample has no input image')
        return _side_by_side([with_caption(image_array(v), k)
                              for k, v in inputs.items()])
    image = image_array(inputs)
    fields = data.keys() if data is not None else []
    if 'gt_depth_map' in fields:
        return _side_by_side([image,
                              depth_colour_map(data.gt_depth_map.data)])
    if 'gt_sem_seg' in fields:
        classes = metainfo.get('classes') or ()
        labels = data.gt_sem_seg.data
        present = labels[labels != IGNORE_INDEX]
        count = max(len(classes),
                    int(present.max()) + 1 if present.numel() else 1)
        palette = seg_palette(count, metainfo.get('palette'))
        return _side_by_side([image, seg_overlay(image, labels, palette)])
    if 'gt_label' in fields:
        label = int(data.gt_label.reshape(-1)[0])
        classes = metainfo.get('classes') or ()
        name = classes[label] if label < len(classes) else ''
        return with_caption(image, f'{label} {name}'.strip())
    return image
