# The segmentation demo on the embedded synthetic ADE20K-layout data set,
# sized for a 2-core CPU in minutes (tools/demo.py --task seg). Differences
# from the parent config:
# - data: data/ade20k_synthetic (mmxtkd.datasets.make_synthetic_ade), 96x128
#   rendered rooms, 5 classes (wall, floor, ceiling, box, sphere) in
#   ADE20K's layout and label convention; flips only, no rescaling or crops;
# - student: DeepLabV3 on a ResNet-18 dilated in its last stage only
#   (output stride 16: 6x8 maps, a third of stride 8's cost on a CPU; ASPP
#   with 128 channels and dilations 1/2/3/4), from scratch (no ImageNet
#   weights on a machine with no downloads); Z_s has 512 channels;
# - schedule: 2 epochs (120 iterations) of batch 4, OneCycle with max lr
#   2e-3.
# The teacher (ResNet-50, random, seed 0), inverted projection, L2 loss and
# SpectralRankHook are the parent's.
_base_ = ['../ade20k/dlv3-r50_r50-random-teacher_inverted.py']

data_root = 'data/ade20k_synthetic'
num_classes = 5
metainfo = dict(
    classes=('wall', 'floor', 'ceiling', 'box', 'sphere'),
    palette=[[120, 120, 120], [80, 50, 50], [120, 120, 80], [255, 173, 0],
             [6, 230, 230]])
model = dict(
    student=dict(
        data_preprocessor=dict(size=(96, 128)),
        backbone=dict(
            depth=18, strides=(1, 2, 2, 1), dilations=(1, 1, 1, 2),
            init_cfg=None),
        decode_head=dict(
            in_channels=512,
            channels=128,
            dilations=(1, 2, 3, 4),
            num_classes=num_classes)),
    student_channels=512)
load_annotations = dict(
    type='mmxtkd.LoadCheckedSegAnnotations', num_classes=num_classes)
dataset = dict(
    type='mmseg.BaseSegDataset',
    data_root=data_root,
    metainfo=metainfo,
    img_suffix='.jpg',
    seg_map_suffix='.png',
    reduce_zero_label=True)
train_dataloader = dict(
    batch_size=4,
    num_workers=2,
    dataset=dict(
        dataset,
        _delete_=True,
        data_prefix=dict(
            img_path='images/training', seg_map_path='annotations/training'),
        pipeline=[
            dict(type='LoadImageFromFile'), load_annotations,
            dict(type='mmseg.RandomFlip', prob=0.5),
            dict(type='mmseg.PackSegInputs')
        ]))
val_dataloader = dict(
    batch_size=8,
    num_workers=2,
    dataset=dict(
        dataset,
        _delete_=True,
        data_prefix=dict(
            img_path='images/validation',
            seg_map_path='annotations/validation'),
        pipeline=[
            dict(type='LoadImageFromFile'), load_annotations,
            dict(type='mmseg.PackSegInputs')
        ]))
test_dataloader = val_dataloader

# two epochs of the 240 training frames: 120 iterations
optim_wrapper = dict(optimizer=dict(lr=2e-3))
param_scheduler = [dict(_base_.param_scheduler[0], end=2)]
train_cfg = dict(max_epochs=2, val_interval=2)
default_hooks = dict(
    logger=dict(interval=20), checkpoint=dict(max_keep_ckpts=2))
custom_hooks = [dict(type='mmxtkd.SpectralRankHook', interval=10)]
env_cfg = dict(cudnn_benchmark=False)
randomness = dict(seed=0)
