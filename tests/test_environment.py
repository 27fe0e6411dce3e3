"""The whole OpenMMLab stack in one process, with mmcv's compiled ops."""
import subprocess
import sys

from conftest import HAS_EDITING

CODE = r'''
import torch
import mmxtkd.models
import mmcv.ops
from mmcv.ops import nms
import mmseg.utils, mmdet.utils, mmpretrain.utils
for pkg in (mmseg, mmdet, mmpretrain):
    pkg.utils.register_all_modules(init_default_scope=False)

from mmengine.hub import get_config
from mmengine.registry import DefaultScope
from mmseg.registry import MODELS as SEG
from mmdet.registry import MODELS as DET
from mmpretrain.registry import MODELS as PRE
from mmxtkd.registry import MODELS as XTKD

boxes = torch.tensor([[0, 0, 10, 10], [1, 1, 10, 10], [20, 20, 30, 30.]])
keep = nms(boxes, torch.tensor([0.9, 0.8, 0.7]), 0.5)[1]
assert keep.tolist() == [0, 2], keep

def build(registry, scope, cfg):
    with DefaultScope.overwrite_default_scope(scope):
        return registry.build(cfg)

seg = build(SEG, 'mmseg', dict(type='DepthEstimator',
    data_preprocessor=dict(type='SegDataPreProcessor'),
    backbone=dict(type='ResNetV1c', depth=18),
    decode_head=dict(type='FCNHead', in_channels=512, channels=8,
                     num_classes=1, norm_cfg=dict(type='BN'))))
det_cfg = get_config('mmdet::mask_rcnn/mask-rcnn_r50_fpn_1x_coco.py')
det_cfg.model.backbone.init_cfg = None
det = build(DET, 'mmdet', det_cfg.model)
pre = build(PRE, 'mmpretrain', dict(type='VisionTransformer', arch='b',
                                    img_size=224, patch_size=16))
proj = build(XTKD, 'mmxtkd', dict(type='InvertedProjector', in_channels=768,
                                  out_channels=80))
print(type(seg).__name__, type(det).__name__, type(pre).__name__,
      type(proj).__name__)
print(sum(p.numel() for p in pre.parameters()))
'''
# the editing extra's package, in the same process
EDITING_CODE = r'''
import mmagic.utils
mmagic.utils.register_all_modules(init_default_scope=False)
from mmagic.registry import MODELS as AGIC
gan_cfg = get_config(
    'mmagic::pix2pix/pix2pix_vanilla-unet-bn_1xb1-80kiters_facades.py')
print(type(build(AGIC, 'mmagic', gan_cfg.model)).__name__)
'''


def test_one_process_builds_a_model_from_each_package():
    out = subprocess.run(
        [sys.executable, '-c', CODE + (EDITING_CODE if HAS_EDITING else '')],
        capture_output=True, text=True)
    assert out.returncode == 0, out.stderr[-3000:]
    printed = out.stdout.strip().split('\n')
    if HAS_EDITING:
        assert printed.pop() == 'Pix2Pix'
    names, vit_params = printed[-2:]
    assert names.split() == ['DepthEstimator', 'MaskRCNN', 'VisionTransformer',
                             'InvertedProjector']
    assert int(vit_params) == 85_798_656  # ViT-B/16 backbone, no head
