# The cross-task study's nuisance teacher: the same network trained to label
# each pixel with the procedural texture its surface was drawn with
# (checks, stripes, noise; make_synthetic_ade labels='textures', seed 1), a
# property the renderer draws independently of the room's geometry.
_base_ = ['./dlv3-r18_surface-seg.py']
data_root = 'data/study/ade_textures'
metainfo = dict(
    classes=('checks', 'stripes', 'noise'),
    palette=[[200, 60, 60], [60, 200, 60], [60, 60, 200]])
model = dict(student=dict(decode_head=dict(num_classes=3)))
train_dataloader = dict(
    dataset=dict(data_root=data_root, metainfo=metainfo))
val_dataloader = dict(dataset=dict(data_root=data_root, metainfo=metainfo))
test_dataloader = val_dataloader
