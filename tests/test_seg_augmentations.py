"""The faster seg augmentations give mmseg's images and crops bit for bit,
from the same random draws."""
import numpy as np
import pytest
from mmseg.datasets.transforms import PhotoMetricDistortion, RandomCrop

from mmxtkd.datasets import HistogramRandomCrop, LookupPhotoMetricDistortion


def _image(seed: int, size=(37, 53)) -> np.ndarray:
    # every uint8 value, in a random photo-like mix
    rng = np.random.default_rng(seed)
    img = rng.integers(0, 256, size + (3, ), dtype=np.uint8)
    img.reshape(-1)[:256] = np.arange(256, dtype=np.uint8)
    return img


def _run(transform, results: dict, seed: int) -> dict:
    np.random.seed(seed)
    out = transform({k: v.copy() if isinstance(v, np.ndarray) else v
                     for k, v in results.items()})
    return out, np.random.randint(2**31)  # the draws left behind


@pytest.mark.parametrize('kwargs', [
    {}, dict(brightness_delta=80, contrast_range=(0.1, 3.0),
             saturation_range=(0.0, 4.0), hue_delta=90)])
def test_lookup_distortion_is_mmsegs_bit_for_bit(kwargs):
    ours, theirs = (LookupPhotoMetricDistortion(**kwargs),
                    PhotoMetricDistortion(**kwargs))
    changed = 0
    for seed in range(64):  # every branch of the four coin flips
        img = _image(seed)
        a, next_a = _run(ours, dict(img=img), seed)
        b, next_b = _run(theirs, dict(img=img), seed)
        assert a['img'].dtype == np.uint8
        np.testing.assert_array_equal(a['img'], b['img'])
        assert next_a == next_b
        changed += not np.array_equal(a['img'], img)
    assert changed > 32  # the distortion did act


def test_lookup_distortion_of_a_float_image_is_mmsegs():
    img = _image(0).astype(np.float32) + 0.25
    a, _ = _run(LookupPhotoMetricDistortion(), dict(img=img), 3)
    b, _ = _run(PhotoMetricDistortion(), dict(img=img), 3)
    np.testing.assert_array_equal(a['img'], b['img'])


@pytest.mark.parametrize('dtype', [np.uint8, np.uint16, np.int32])
def test_histogram_crop_is_mmsegs_crop(dtype):
    crop = dict(crop_size=(16, 24), cat_max_ratio=0.75)
    ours, theirs = HistogramRandomCrop(**crop), RandomCrop(**crop)
    rng = np.random.default_rng(0)
    retried = 0
    for seed in range(40):
        # a map dominated by one class in most places: crops get refused
        seg = np.full((48, 64), 3, dtype)
        h, w = rng.integers(4, 40, 2)
        y, x = rng.integers(0, 48 - h), rng.integers(0, 64 - w)
        seg[y:y + h, x:x + w] = rng.integers(0, 7, (h, w))
        seg[rng.random(seg.shape) < 0.2] = 255  # ignored: not counted
        results = dict(img=_image(seed, (48, 64)), gt_seg_map=seg,
                       seg_fields=['gt_seg_map'])
        a, next_a = _run(ours, results, seed)
        b, next_b = _run(theirs, results, seed)
        np.testing.assert_array_equal(a['img'], b['img'])
        np.testing.assert_array_equal(a['gt_seg_map'], b['gt_seg_map'])
        assert a['img'].shape[:2] == (16, 24)
        assert next_a == next_b
        retried += next_a != _run(RandomCrop(crop_size=(16, 24)),
                                  results, seed)[1]
    assert retried > 10  # the ratio test refused crops, the tries differ
