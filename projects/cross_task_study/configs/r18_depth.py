# The cross-task study's depth (same-task) teacher: a ResNet-18 + Decoder
# depth model trained on synthetic rooms the depth students never see
# (make_synthetic_nyu seed 1), from scratch, on the demo's schedule.
_base_ = ['mmxtkd::depth/synthetic/mbv2_baseline.py']
data_root = 'data/study/nyu'
model = dict(
    student=dict(
        backbone=dict(
            _delete_=True,
            type='mmpretrain.ResNet',
            depth=18,
            out_indices=(0, 1, 2, 3)),
        decode_head=dict(in_channels=[64, 128, 256, 512])),
    student_channels=512)
train_dataloader = dict(dataset=dict(data_root=data_root))
val_dataloader = dict(dataset=dict(data_root=data_root))
test_dataloader = val_dataloader
