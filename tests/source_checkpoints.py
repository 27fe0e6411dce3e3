"""Public checkpoints as users download them, written by the tests from
randomly initialised models in each source's own layout (timm, torchvision,
AiT, mmdet's model zoo), and converted with the commands the README gives."""
import glob
import json
import math
import os
import os.path as osp
import shutil
import subprocess
import sys

import torch

from conftest import HAS_EDITING, REPO, run_script

CONVERTERS = osp.join(REPO, 'tools', 'model_converters')


def convert(script: str, src, dst, as_command: bool = False) -> None:
    """Run ``tools/model_converters/<script> SRC DST`` as ``__main__`` in this
    process (an interpreter start saved), or as a command."""
    argv = [osp.join(CONVERTERS, script), str(src), str(dst)]
    if not as_command:
        print(run_script(*argv), end='')
        return
    result = subprocess.run([sys.executable] + argv, capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stderr


def ait_coords_table(window: int, pretrained_window: int) -> torch.Tensor:
    """AiT's 'norm8_log_bylayer' continuous coordinates, (1, 2w-1, 2w-1, 2)."""
    r = torch.arange(-(window - 1), window, dtype=torch.float32)
    table = torch.stack(torch.meshgrid(r, r, indexing='ij'), -1)[None]
    table = table / (pretrained_window - 1) * 8
    return torch.sign(table) * torch.log2(table.abs() + 1) / math.log2(8)


def relative_index(window: int) -> torch.Tensor:
    """Index of each token pair's offset in a (2w-1)^2 table, (w^2, w^2)."""
    ij = torch.stack(torch.meshgrid(torch.arange(window), torch.arange(window),
                                    indexing='ij')).flatten(1)
    d = (ij[:, :, None] - ij[:, None, :]) + window - 1
    return d[0] * (2 * window - 1) + d[1]


def ait_state_dict(embed, depths, heads, windows, pretrained_windows):
    """Random weights with the keys and shapes of AiT's SwinV2 backbone; the
    second value is the whole model's state dict as AiT saves it
    (``backbone.*`` plus the token transformer, abbreviated)."""
    gen = torch.Generator().manual_seed(0)

    def rand(*shape, scale=0.1, shift=0.0):
        return torch.randn(*shape, generator=gen) * scale + shift

    sd = {'patch_embed.proj.weight': rand(embed, 3, 4, 4),
          'patch_embed.proj.bias': rand(embed),
          'patch_embed.norm.weight': rand(embed, shift=1.0),
          'patch_embed.norm.bias': rand(embed)}
    for i, (depth, h) in enumerate(zip(depths, heads)):
        d, w = embed * 2**i, windows[i]
        for j in range(depth):
            p = f'layers.{i}.blocks.{j}.'
            sd.update({
                p + 'attn.logit_scale': rand(h, 1, 1, shift=math.log(10)),
                p + 'attn.rpe_mlp.0.weight': rand(512, 2, scale=0.5),
                p + 'attn.rpe_mlp.0.bias': rand(512),
                p + 'attn.rpe_mlp.2.weight': rand(h, 512, scale=0.5),
                p + 'attn.relative_coords_table':
                ait_coords_table(w, pretrained_windows[i]),
                p + 'attn.relative_position_index': relative_index(w),
                p + 'attn.qkv.weight': rand(3 * d, d, scale=0.3),
                p + 'attn.q_bias': rand(d),
                p + 'attn.v_bias': rand(d),
                p + 'attn.proj.weight': rand(d, d, scale=0.3),
                p + 'attn.proj.bias': rand(d),
                p + 'norm1.weight': rand(d, shift=1.0),
                p + 'norm1.bias': rand(d),
                p + 'norm2.weight': rand(d, shift=1.0),
                p + 'norm2.bias': rand(d),
                p + 'mlp.fc1.weight': rand(4 * d, d, scale=0.3),
                p + 'mlp.fc1.bias': rand(4 * d),
                p + 'mlp.fc2.weight': rand(d, 4 * d, scale=0.3),
                p + 'mlp.fc2.bias': rand(d),
            })
        if i < len(depths) - 1:
            p = f'layers.{i}.downsample.'
            sd.update({p + 'reduction.weight': rand(2 * d, 4 * d, scale=0.3),
                       p + 'norm.weight': rand(2 * d, shift=1.0),
                       p + 'norm.bias': rand(2 * d)})
    last = len(depths) - 1
    sd[f'norm{last}.weight'] = rand(embed * 2**last, shift=1.0)
    sd[f'norm{last}.bias'] = rand(embed * 2**last)
    full = {'backbone.' + k: v for k, v in sd.items()}
    full['transformer.decoder.layers.0.linear1.weight'] = rand(4, 4)
    return sd, full


def keypoint_rcnn_coco() -> torch.nn.Module:
    """torchvision's Keypoint R-CNN as its COCO file's weights are laid out:
    frozen batch norms (no ``num_batches_tracked``)."""
    from torchvision.models import resnet50
    from torchvision.models.detection.backbone_utils import \
        _resnet_fpn_extractor
    from torchvision.models.detection.keypoint_rcnn import KeypointRCNN
    from torchvision.ops.misc import FrozenBatchNorm2d
    return KeypointRCNN(_resnet_fpn_extractor(
        resnet50(norm_layer=FrozenBatchNorm2d), 3), num_classes=2).eval()


def swinv2_base_in21k() -> torch.nn.Module:
    """mmpretrain's ``swinv2-base-w12_8xb128_in21k-192px.py`` model (192
    pixels, windows 12/12/12/6, 21841 classes), the model whose weights its
    zoo publishes as ``swinv2-base-w12_3rdparty_in21k-192px_*.pth``. (That
    config file itself does not load in mmpretrain 1.2: its data base lacks
    the test pipeline it edits.)"""
    from mmengine.registry import DefaultScope
    from mmpretrain.registry import MODELS
    with DefaultScope.overwrite_default_scope('mmpretrain'):
        return MODELS.build(dict(
            type='ImageClassifier',
            backbone=dict(type='SwinTransformerV2', arch='base', img_size=192,
                          window_size=[12, 12, 12, 6]),
            neck=dict(type='GlobalAveragePooling'),
            head=dict(type='LinearClsHead', num_classes=21841,
                      in_channels=1024)))


#: what the hub's image processors of DINOv2, SegFormer and Depth Anything
#: store (their normalisation is ImageNet's)
IMAGENET_PREPROCESSOR = dict(
    do_normalize=True, do_rescale=True, rescale_factor=1 / 255,
    image_mean=[0.485, 0.456, 0.406], image_std=[0.229, 0.224, 0.225])


#: the transformers teachers' folders in checkpoints/, by architecture
HUB_ARCHITECTURES = {
    'dinov2-base': 'Dinov2Model',
    'segformer-b2-ade': 'SegformerForSemanticSegmentation',
    'depth-anything-v2-small': 'DepthAnythingForDepthEstimation'}


def transformers_hub_models() -> dict:
    """``{checkpoints/ folder: random model}`` of the transformers
    teachers the configs name, with the hub's configs (facebook/dinov2-base,
    nvidia/segformer-b2-finetuned-ade-512-512, depth-anything/Depth-
    Anything-V2-Small-hf); those the installed transformers lacks
    (:data:`HUB_ARCHITECTURES`) are left out, and their configs' tests
    skip."""
    import transformers as tf
    models = {
        'dinov2-base': lambda: tf.Dinov2Model(tf.Dinov2Config(
            hidden_size=768, num_hidden_layers=12, num_attention_heads=12,
            patch_size=14, image_size=518)),
        'segformer-b2-ade': lambda: tf.SegformerForSemanticSegmentation(
            tf.SegformerConfig(hidden_sizes=[64, 128, 320, 512],
                               depths=[3, 4, 6, 3],
                               num_attention_heads=[1, 2, 5, 8],
                               decoder_hidden_size=768, num_labels=150))}
    models['depth-anything-v2-small'] = \
        lambda: tf.DepthAnythingForDepthEstimation(tf.DepthAnythingConfig(
            backbone_config=tf.Dinov2Config(
                hidden_size=384, num_hidden_layers=12, num_attention_heads=6,
                patch_size=14, image_size=518, out_indices=[3, 6, 9, 12],
                reshape_hidden_states=False),
            reassemble_hidden_size=384, patch_size=14,
            neck_hidden_sizes=[48, 96, 192, 384], fusion_hidden_size=64,
            head_hidden_size=32))
    return {folder: build() for folder, build in models.items()
            if hasattr(tf, HUB_ARCHITECTURES[folder])}


def write_user_checkpoints(root: str) -> str:
    """``root/checkpoints/`` with every file the configs name, each
    made as the configs' README says: a random model saved in its source's
    layout under ``root/downloads/``, then converted (or, for the mmdet and
    mmpretrain zoo files and our own depth checkpoint, saved as those are)."""
    import timm
    from mmengine.config import Config
    from mmengine.registry import MODELS
    from safetensors.torch import save_file
    from torchvision import models as tv

    from mmxtkd.models.teachers import _build_model
    from mmxtkd.registry import build_in_own_scope

    downloads, out = osp.join(root, 'downloads'), osp.join(root, 'checkpoints')
    for folder in (downloads, out):
        shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(downloads)
    os.makedirs(out)
    torch.manual_seed(0)

    def src(name):
        return osp.join(downloads, name)

    def dst(name):
        return osp.join(out, name)

    mbv2 = timm.create_model('mobilenetv2_050', pretrained=False)
    save_file({k: v.contiguous() for k, v in mbv2.state_dict().items()},
              src('model.safetensors'))
    convert('mobilenetv2_timm_to_mmpretrain.py', src('model.safetensors'),
            dst('mobilenetv2-0.5_in1k_timm.pth'))
    for builder, name, script, converted in (
        (tv.efficientnet_b0, 'efficientnet_b0_rwightman-7f5810bc.pth',
         'efficientnet_torchvision_to_mmpretrain.py',
         'efficientnet-b0_in1k_torchvision.pth'),
        (tv.resnet50, 'resnet50-0676ba61.pth',
         'resnet_torchvision_to_mmpretrain.py',
         'resnet50_in1k_torchvision.pth'),
        (tv.vit_b_16, 'vit_b_16-c867db91.pth',
         'vit_torchvision_to_mmpretrain.py', 'vit-b16_in1k_torchvision.pth'),
    ):
        torch.save(builder().state_dict(), src(name))
        convert(script, src(name), dst(converted))
    # torchvision's own files, which the segmentation teachers load unchanged
    shutil.copy(src('resnet50-0676ba61.pth'), dst('resnet50-0676ba61.pth'))
    torch.save(tv.segmentation.deeplabv3_resnet50(
        weights_backbone=None, num_classes=21, aux_loss=True).state_dict(),
        dst('deeplabv3_resnet50_coco-cd0a2569.pth'))
    torch.save(keypoint_rcnn_coco().state_dict(),
               dst('keypointrcnn_resnet50_fpn_coco-fc266e95.pth'))
    if HAS_EDITING:  # the FID network of the translation configs (mmagic's)
        from mmagic.evaluation.functional.fid_inception import fid_inception_v3
        torch.save(fid_inception_v3(load_ckpt=False).state_dict(),
                   dst('pt_inception-2015-12-05-6726825d.pth'))
    _, ait = ait_state_dict(128, [2, 2, 18, 2], [4, 8, 16, 32],
                            [30, 30, 30, 15], [12, 12, 12, 6])
    torch.save({'meta': {'epoch': 20}, 'state_dict': ait},
               src('ait_depth_swinv2b_ar.pth'))
    del ait
    convert('swinv2_ait_to_mmpretrain.py', src('ait_depth_swinv2b_ar.pth'),
            dst('ait-swinv2b_depth_mmpretrain.pth'))
    # AiT's instance-segmentation backbone has the same layout and shapes
    shutil.copy(dst('ait-swinv2b_depth_mmpretrain.pth'),
                dst('ait-swinv2b_insseg_mmpretrain.pth'))
    torch.save({'meta': {'mmcls_version': '1.0.0rc0'},
                'state_dict': swinv2_base_in21k().state_dict()},
               dst('swinv2-base-w12_3rdparty_in21k-192px_20220803-f7dc9763.pth'))
    maskrcnn = _build_model('mmdet::mask_rcnn/mask-rcnn_r50_fpn_1x_coco.py')
    torch.save({'meta': {'mmdet_version': '3.3.0'},
                'state_dict': maskrcnn.state_dict()},
               dst('mask_rcnn_r50_fpn_1x_coco.pth'))
    # timm's hub file of the ConvNeXt-T teacher, as stored (safetensors)
    convnext = timm.create_model('convnext_tiny', pretrained=False)
    save_file({k: v.contiguous() for k, v in convnext.state_dict().items()},
              dst('convnext_tiny.fb_in1k.safetensors'))
    del convnext
    # transformers' hub folders of the foundation-era teachers, as
    # `hf download MODEL_ID --local-dir checkpoints/<folder>` leaves them
    for folder, model in transformers_hub_models().items():
        model.save_pretrained(dst(folder), safe_serialization=True)
        with open(osp.join(dst(folder), 'preprocessor_config.json'),
                  'w') as f:
            json.dump(IMAGENET_PREPROCESSOR, f)
    # this package's own trained teachers, as their runs save them (the
    # REFILLED demo's where the demo's teacher run leaves it), and the
    # Fashion-MNIST study's source model and REFILLED teacher where the
    # study puts them
    fashion = 'projects/fashion_study/configs/'
    for config, meta, path in (
            ('configs/depth/r50_baseline.py', dict(epoch=25),
             dst('depth_r50_nyu.pth')),
            ('configs/refilled/cub/mbv1-1.0_cub0-99.py', dict(epoch=200),
             dst('mbv1-1.0_cub0-99.pth')),
            ('configs/refilled/cifar/wrn-40-2_baseline.py', dict(epoch=200),
             dst('wrn-40-2_cifar100.pth')),
            ('configs/refilled/digits/wrn-16-1_digits0-4.py', dict(epoch=15),
             osp.join(root, 'work_dirs/demo_refilled/teacher/epoch_15.pth')),
            (fashion + 'wrn-16-1_fashion0-4.py', dict(iter=1000),
             osp.join(root, 'work_dirs/fashion_study/source.pth')),
            (fashion + 'wrn-16-2_fashion0-4.py', dict(iter=800),
             osp.join(root, 'work_dirs/fashion_refilled/teacher.pth'))):
        model = build_in_own_scope(MODELS, Config.fromfile(
            osp.join(REPO, config)).model)
        os.makedirs(osp.dirname(path), exist_ok=True)
        torch.save({'meta': meta, 'state_dict': model.state_dict()}, path)
    # REFILLED's stage-1 runs, where the stage-2 configs read their student
    # (a stage-1 checkpoint holds the student alone: the baseline's keys)
    for stage2 in glob.glob(osp.join(REPO, 'configs', 'refilled', '*',
                                     '*_refilled-stage2.py')) + glob.glob(
            osp.join(REPO, 'projects', '*', 'configs', 'refilled',
                     '*_refilled-stage2.py')):
        cfg = Config.fromfile(stage2)
        student = dict(cfg.model.student, init_cfg=None)
        model = build_in_own_scope(MODELS, dict(
            type='mmxtkd.CrossTaskDistiller', student=student))
        path = osp.join(root, cfg.model.student.init_cfg.checkpoint)
        os.makedirs(osp.dirname(path), exist_ok=True)
        torch.save({'meta': {'epoch': cfg.train_cfg.max_epochs},
                    'state_dict': model.state_dict()}, path)
    return root
