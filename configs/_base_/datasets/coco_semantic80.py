# MSCOCO 2017 as 80-class semantic segmentation (the paper's main-text
# table 2a): label maps made from the instance annotations by
#   python tools/dataset_converters/coco_semantic80.py data/coco
# (labels 0-79, 255 where no instance is: not scored). The augmentations and
# loaders are ADE20K's.
_base_ = ['./ade20k.py']
dataset_type = 'mmxtkd.COCOSemantic80Dataset'
data_root = 'data/coco'
num_classes = 80
load_annotations = dict(
    type='mmxtkd.LoadCheckedSegAnnotations', num_classes=num_classes)
train_pipeline = [dict(type='LoadImageFromFile'), load_annotations
                  ] + _base_.augmentations + [_base_.train_pipeline[-1]]
test_pipeline = [dict(type='LoadImageFromFile'), _base_.test_pipeline[1],
                 load_annotations, dict(type='mmseg.PackSegInputs')]
train_dataloader = dict(
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        data_prefix=dict(
            img_path='train2017', seg_map_path='semantic80/train2017'),
        pipeline=train_pipeline))
val_dataloader = dict(
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        data_prefix=dict(
            img_path='val2017', seg_map_path='semantic80/val2017'),
        pipeline=test_pipeline))
test_dataloader = val_dataloader
