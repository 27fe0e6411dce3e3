# Same-task teacher: this package's ResNet-50 depth student trained on NYUv2
# (configs/depth/r50_baseline.py); its checkpoint loads into the same model
# config, named by package path so that it resolves from any checkout.
r50_depth_teacher = dict(
    type='mmxtkd.FrozenTeacher',
    model='mmxtkd::_base_/models/depth_r50_decoder.py',
    feature='student.backbone',
    checkpoint='checkpoints/depth_r50_nyu.pth')
r50_depth_channels = 2048
