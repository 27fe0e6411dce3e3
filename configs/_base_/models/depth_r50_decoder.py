# ResNet-50 encoder + `Decoder` (supplementary table 8); four skips, so the
# last two decoder blocks get none. The encoder starts from torchvision's
# ImageNet weights
# (tools/model_converters/resnet_torchvision_to_mmpretrain.py).
_base_ = ['./depth_mbv2-0.5_decoder.py']
model = dict(
    student=dict(
        backbone=dict(
            _delete_=True,
            type='mmpretrain.ResNet',
            depth=50,
            out_indices=(0, 1, 2, 3),
            init_cfg=dict(
                type='Pretrained',
                checkpoint='checkpoints/resnet50_in1k_torchvision.pth')),
        decode_head=dict(in_channels=[256, 512, 1024, 2048])),
    student_channels=2048)
