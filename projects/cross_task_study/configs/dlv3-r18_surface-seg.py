# The cross-task study's segmentation teacher (tools/analysis/
# cross_task_study.py): the segmentation demo's DeepLabV3-ResNet-18 alone
# (surface classes: wall, floor, ceiling, box, sphere), trained on rooms
# the depth students never see (make_synthetic_ade seed 1). Its backbone is
# the teacher; randomly initialised (checkpoint=None) it is the study's
# random teacher.
_base_ = ['mmxtkd::seg/synthetic/dlv3-r18_r50-random-teacher_inverted.py']
data_root = 'data/study/ade_surfaces'
model = dict(teacher=None, projector=None, distill_losses=dict(_delete_=True))
train_dataloader = dict(dataset=dict(data_root=data_root))
val_dataloader = dict(dataset=dict(data_root=data_root))
test_dataloader = val_dataloader
custom_hooks = []
