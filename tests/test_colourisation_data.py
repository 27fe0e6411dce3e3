"""Colourisation pairs: the grayscale input made in the pipeline, and the
synthetic pairs in mmagic's paired layout read by mmagic's own dataset."""
import cv2
import numpy as np
import pytest
from mmengine.registry import init_default_scope

from conftest import needs_editing
from mmxtkd.datasets import GrayscaleCopy, make_synthetic_colourisation


def test_grayscale_copy_is_the_bt601_luma_on_three_channels():
    bgr = np.array([[[255, 0, 0], [0, 255, 0], [0, 0, 255], [10, 20, 30]]],
                   np.uint8)
    out = GrayscaleCopy('img_photo', 'img_gray')(dict(img_photo=bgr))
    gray = out['img_gray']
    assert gray.shape == (1, 4, 3) and gray.dtype == np.uint8
    # 0.114 B + 0.587 G + 0.299 R, rounded
    np.testing.assert_array_equal(gray[0, :, 0], [29, 150, 76, 22])
    assert (gray == gray[..., :1]).all()
    rgb = GrayscaleCopy('img', 'g', channel_order='rgb')(dict(img=bgr))['g']
    np.testing.assert_array_equal(rgb[0, :, 0], [76, 150, 29, 18])


def test_grayscale_copy_names_a_target_without_colour():
    gray = np.full((4, 4, 3), 90, np.uint8)
    gray[0, 0] = (90, 91, 92)  # JPEG-like noise: still gray
    with pytest.raises(ValueError, match=r'facades/7.jpg: img_photo is '
                       'grayscale .* needs colour targets'):
        GrayscaleCopy('img_photo', 'img_gray')(
            dict(img_photo=gray, img_photo_path='facades/7.jpg'))
    for pixel in ((93, 90, 90), (90, 90, 93)):  # one step over: colour
        gray[0, 0] = pixel
        GrayscaleCopy('img_photo', 'img_gray')(dict(img_photo=gray.copy()))
    with pytest.raises(ValueError, match=r'8.jpg: img_photo has shape '
                       r'\(4, 4\)'):
        GrayscaleCopy('img_photo', 'img_gray')(
            dict(img_photo=gray[..., 0], img_photo_path='8.jpg'))
    with pytest.raises(ValueError, match="channel_order must be"):
        GrayscaleCopy('a', 'b', channel_order='yuv')


@needs_editing
def test_synthetic_pairs_are_colour_beside_gray_and_load_in_mmagic(tmp_path):
    a, b = tmp_path / 'a', tmp_path / 'b'
    for root in (a, b):
        counts = make_synthetic_colourisation(
            str(root),
            train_scenes=2,
            test_scenes=1,
            frames_per_scene=2,
            size=(16, 24))
    assert counts == dict(train=4, test=2)
    assert (a / 'train/4.png').read_bytes() == (b / 'train/4.png').read_bytes()
    pair = cv2.imread(str(a / 'test/2.png'))
    assert pair.shape == (16, 48, 3)
    colour, gray = pair[:, :24].astype(float), pair[:, 24:]
    luma = colour @ [0.114, 0.587, 0.299]
    assert np.abs(gray[..., 0] - luma).max() <= 1
    assert np.abs(np.diff(colour, axis=2)).max() > 10  # A has colour

    init_default_scope('mmagic')
    from mmagic.datasets import PairedImageDataset
    dataset = PairedImageDataset(
        data_root=str(a), test_mode=True, pipeline=[
            dict(type='LoadPairedImageFromFile', key='pair',
                 domain_a='photo', domain_b='gray_copy', color_type='color'),
            dict(type='mmxtkd.GrayscaleCopy', key='img_photo',
                 out_key='img_gray'),
            dict(type='PackInputs', keys=['img_photo', 'img_gray'],
                 data_keys=['img_photo', 'img_gray'])
        ])
    assert len(dataset) == 2
    inputs = dataset[1]['inputs']
    assert inputs['img_gray'].shape == (3, 16, 24)
    # the pipeline's gray copy is the one the generator wrote beside it
    np.testing.assert_array_equal(inputs['img_gray'][0].numpy(), gray[..., 0])


@needs_editing
def test_a_pair_of_odd_width_is_named(tmp_path):
    from mmxtkd.datasets.editing import LoadCheckedPairedImage
    path = str(tmp_path / 'odd.png')
    cv2.imwrite(path, np.zeros((4, 7, 3), np.uint8))
    load = LoadCheckedPairedImage(key='pair', domain_a='photo',
                                  domain_b='mask', color_type='color')
    with pytest.raises(ValueError, match=r'odd.png: The width of image pair '
                       'must be even number, but got 7'):
        load(dict(pair_path=path))
    cv2.imwrite(path, np.zeros((4, 8, 3), np.uint8))
    out = load(dict(pair_path=path))
    assert out['img_photo'].shape == out['img_mask'].shape == (4, 4, 3)
