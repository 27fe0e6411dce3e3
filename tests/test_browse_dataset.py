"""tools/analysis/browse_dataset.py and the panels it draws
(mmxtkd/visualization/sample_panels.py), against hand-worked pixels and on
data written here in the real layouts."""
import glob
import os.path as osp

import cv2
import numpy as np
import pytest
import torch
from mmengine.structures import PixelData
from mmpretrain.structures import DataSample
from mmseg.structures import SegDataSample

from conftest import REPO, needs_editing, run_script
from mmxtkd.datasets import make_synthetic_colourisation, make_synthetic_nyu
from mmxtkd.visualization import (depth_colour_map, sample_panels, seg_overlay,
                                  seg_palette)
from mmxtkd.visualization.sample_panels import image_array, with_caption

TOOL = osp.join(REPO, 'tools', 'analysis', 'browse_dataset.py')


def test_depth_colour_map_by_hand():
    """Valid depths 1..3 m scale to 0, 128, 255 of the colour map; the
    pixel without a depth (0) is black."""
    colours = depth_colour_map(torch.tensor([[[0.0, 1.0], [2.0, 3.0]]]))
    table = cv2.applyColorMap(np.arange(256, dtype=np.uint8)[:, None],
                              cv2.COLORMAP_INFERNO)[:, 0]
    assert colours.shape == (2, 2, 3) and colours.dtype == np.uint8
    assert (colours[0, 0] == 0).all()
    assert (colours[0, 1] == table[0]).all()
    assert (colours[1, 0] == table[128]).all()
    assert (colours[1, 1] == table[255]).all()
    # nothing measured: all black, no division by zero
    assert not depth_colour_map(torch.zeros(1, 3, 3)).any()


def test_seg_overlay_by_hand():
    image = np.full((1, 3, 3), 100, np.uint8)
    palette = np.array([[0, 0, 200], [200, 0, 0]], np.uint8)
    out = seg_overlay(image, torch.tensor([[[0, 1, 255]]]), palette)
    assert out[0, 0].tolist() == [50, 50, 150]  # (100 + (0,0,200)) / 2
    assert out[0, 1].tolist() == [150, 50, 50]
    assert out[0, 2].tolist() == [100, 100, 100]  # ignored: the image
    # the data set's RGB palette, turned to BGR; fixed colours without one
    assert seg_palette(1, [[1, 2, 3]]).tolist() == [[3, 2, 1]]
    assert (seg_palette(4) == seg_palette(4)).all()
    with pytest.raises(ValueError, match='label map is'):
        seg_overlay(image, torch.zeros(1, 2, 2), palette)


def test_image_array_scales_floats_and_refuses_other_shapes():
    assert image_array(torch.full((3, 1, 1), 0.5))[0, 0].tolist() == \
        [128, 128, 128]
    assert image_array(torch.full((1, 1, 1), 300.0))[0, 0].tolist() == \
        [255, 255, 255]
    with pytest.raises(ValueError, match=r'\(3, H, W\)'):
        image_array(torch.zeros(4, 2, 2))


def test_panels_of_each_kind():
    image = torch.randint(0, 255, (3, 4, 6), dtype=torch.uint8)
    seg = SegDataSample(gt_sem_seg=PixelData(
        data=torch.tensor([[0, 1, 2, 255, 1, 0]] * 4)[None]))
    out = sample_panels({'inputs': image, 'data_samples': seg},
                        {'classes': ('a', 'b', 'c')})
    assert out.shape == (4, 12, 3)
    assert (out[:, :6] == image.permute(1, 2, 0).numpy()).all()
    assert (out[:, 9] == out[:, :6][:, 3]).all()  # the ignored column
    pair = sample_panels({'inputs': {'img_a': image, 'img_b': image}})
    assert pair.shape == (4 + 18, 12, 3)
    depth = SegDataSample(gt_depth_map=PixelData(
        data=torch.arange(24.0).reshape(1, 4, 6)))
    out = sample_panels({'inputs': image, 'data_samples': depth})
    assert (out[:, 6:] == depth_colour_map(torch.arange(24.0).reshape(
        1, 4, 6))).all()
    labelled = DataSample().set_gt_label(1)
    out = sample_panels({'inputs': image, 'data_samples': labelled},
                        {'classes': ('cat', 'dog')})
    assert out.shape == (4 + 18, 6, 3)
    assert (out[4:] == with_caption(out[:4], '1 dog')[4:]).all()


def test_a_caption_is_drawn_as_is_where_it_fits_and_smaller_where_not():
    wide = with_caption(np.zeros((4, 200, 3), np.uint8), '1 dog')
    caption = np.zeros((18, 200, 3), np.uint8)
    cv2.putText(caption, '1 dog', (2, 13), cv2.FONT_HERSHEY_SIMPLEX, 0.4,
                (255, 255, 255), 1, cv2.LINE_AA)
    assert (wide[4:] == caption).all()
    # a 64-pixel tile's key (sat2map's img_aerial) ran past its edge at 0.4
    narrow = with_caption(np.zeros((4, 64, 3), np.uint8), 'img_aerial')
    lit = np.nonzero(narrow[4:].max(axis=(0, 2)))[0]
    assert lit.max() <= 61 and lit.max() - lit.min() > 48


def test_the_tool_writes_depth_samples(tmp_path):
    nyu = tmp_path / 'nyu'
    make_synthetic_nyu(str(nyu), train_scenes=1, test_scenes=1,
                       frames_per_scene=3, size=(48, 64))
    out = tmp_path / 'depth'
    printed = run_script(
        TOOL, osp.join(REPO, 'configs/depth/synthetic/mbv2_baseline.py'),
        '--phase', 'val', '-n', '2', '--output-dir', str(out),
        '--cfg-options', f'val_dataloader.dataset.data_root={nyu}')
    assert '2 of 3 val samples' in printed
    files = sorted(glob.glob(str(out / '*.png')))
    assert [osp.basename(f) for f in files] == ['0000_rgb_00000.png',
                                                '0001_rgb_00001.png']
    panel = cv2.imread(files[0])
    assert panel.shape == (48, 128, 3)
    depth = cv2.imread(glob.glob(str(nyu / '**' / 'sync_depth_00000.png'),
                                 recursive=True)[0], cv2.IMREAD_UNCHANGED)
    expected = depth_colour_map(torch.from_numpy(depth.astype(np.float32)))
    assert (panel[:, 64:] == expected).all()


@needs_editing
def test_the_tool_writes_translation_samples(tmp_path):
    facades = tmp_path / 'facades'
    make_synthetic_colourisation(str(facades), train_scenes=1, test_scenes=1,
                                 frames_per_scene=2)
    out = tmp_path / 'pairs'
    run_script(
        TOOL, osp.join(REPO, 'configs/colourisation/synthetic/'
                       'pix2pix-s_r50-random-teacher_inverted.py'),
        '-n', '1', '--output-dir', str(out),
        '--cfg-options', f'train_dataloader.dataset.data_root={facades}')
    pair = cv2.imread(str(out / '0000.png'))
    assert pair.shape[1] == 2 * 64
    photo, gray = pair[:64, :64].astype(int), pair[:64, 64:].astype(int)
    assert (gray[..., 0] == gray[..., 2]).all()  # the grayscale copy
    assert (photo[..., 0] != photo[..., 2]).any()
