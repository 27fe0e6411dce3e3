# Supplementary 6.7: a frozen encoder of one task, learnable linear maps, and
# a frozen decoder of another; only the linear maps train (paper: AiT's
# instance-segmentation SwinV2-B encoder into a depth decoder, 0.504 RMS on
# NYUv2). Here the encoder is mmdet's Mask R-CNN ResNet-50 (COCO instance
# segmentation) and the decoder is that of our ResNet-50 depth model
# (r50_baseline.py's last checkpoint, checkpoints/depth_r50_nyu.pth), whose
# stages have the same channels. The decoder reads four maps (strides 4-32),
# so each gets its own linear map (the paper's decoder reads one).
_base_ = ['./r50_baseline.py', '../_base_/teachers/maskrcnn-insseg.py']
model = dict(
    student=dict(
        backbone=dict(
            _delete_=True,
            type='mmxtkd.LinearlyBridgedEncoder',
            encoder=dict(
                _base_.maskrcnn_insseg_teacher, out_index=(0, 1, 2, 3)),
            in_channels=[256, 512, 1024, 2048],
            out_channels=[256, 512, 1024, 2048]),
        decode_head=dict(
            init_cfg=dict(
                type='Pretrained',
                checkpoint='checkpoints/depth_r50_nyu.pth',
                prefix='student.decode_head.'))))
# the decoder stays as loaded (it has no normalisation statistics to drift)
optim_wrapper = dict(
    paramwise_cfg=dict(
        custom_keys={'decode_head': dict(lr_mult=0.0, decay_mult=0.0)}))
