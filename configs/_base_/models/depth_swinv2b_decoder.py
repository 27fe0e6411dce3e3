# SwinV2-B encoder (mmpretrain's SwinTransformerV2) + `Decoder`: the student
# of table 3 / supplementary table 9. The paper's model is AiT's SwinV2-B depth
# model, whose token decoder is not an OpenMMLab model; this is its nearest
# mmseg-stack equivalent: the same encoder, with AiT's 480-pixel windows
# (30, 30, 30, 15) (maps smaller than a window padded, as AiT's), and the
# paper's `Decoder` on its four stages. The encoder
# starts from mmpretrain's ImageNet-21k SwinV2-B (192 pixels, windows
# 12/12/12/6), whose continuous position bias is rescaled to the larger
# windows by pretrained_window_sizes, with drop path 0.2, as mmpretrain's own
# fine-tuning configs do. Z_s: stage 4, 1024 x H/32 x W/32.
_base_ = ['./depth_mbv2-0.5_decoder.py']
model = dict(
    student=dict(
        backbone=dict(
            _delete_=True,
            type='mmpretrain.SwinTransformerV2',
            arch='base',
            img_size=480,
            window_size=[30, 30, 30, 15],
            pretrained_window_sizes=[12, 12, 12, 6],
            pad_small_map=True,
            drop_path_rate=0.2,
            out_indices=(0, 1, 2, 3),
            init_cfg=dict(
                type='Pretrained',
                checkpoint='checkpoints/swinv2-base-w12_3rdparty_in21k-192px_'
                '20220803-f7dc9763.pth',
                prefix='backbone.')),
        decode_head=dict(in_channels=[128, 256, 512, 1024])),
    student_channels=1024)
