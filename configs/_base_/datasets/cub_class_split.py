# CUB-200-2011 split by classes (mmxtkd.CUBClassSplit over mmpretrain's CUB
# layout, data/CUB_200_2011/{images.txt, image_class_labels.txt,
# train_test_split.txt, images/}): the student's half, classes 100-199
# relabelled 0-99 (the teacher's configs take 0-99). REFILLED's
# augmentation: random-resized 224 crops and flips; tested at a 224 centre
# crop of the 256 short side. Batch 128.
dataset_type = 'mmxtkd.CUBClassSplit'
data_root = 'data/CUB_200_2011'
class_range = (100, 200)
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='RandomResizedCrop', scale=224),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
    dict(type='PackInputs'),
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='ResizeEdge', scale=256, edge='short'),
    dict(type='CenterCrop', crop_size=224),
    dict(type='PackInputs'),
]
train_dataloader = dict(
    batch_size=128,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        class_range=class_range,
        split='train',
        pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=128,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        class_range=class_range,
        split='test',
        pipeline=test_pipeline))
test_dataloader = val_dataloader
val_evaluator = dict(type='Accuracy', topk=(1, ))
test_evaluator = val_evaluator
