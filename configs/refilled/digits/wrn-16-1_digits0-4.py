# The demo's cross-task teacher: the same WRN-16-1 trained on the other
# digits, 0-4 (721 images; tested on their other 180), 15 epochs.
_base_ = './wrn-16-1_baseline.py'
data_root = 'data/digits_class_split/teacher'
train_dataloader = dict(dataset=dict(data_root=data_root))
val_dataloader = dict(dataset=dict(data_root=data_root))
test_dataloader = val_dataloader
param_scheduler = dict(milestones=[10])
train_cfg = dict(max_epochs=15, val_interval=15)
