# As wrn-40-2_baseline.py, with a WRN-16-2 student (128-d embedding).
_base_ = './wrn-40-2_baseline.py'
model = dict(
    student=dict(
        backbone=dict(depth=16, widen_factor=2),
        head=dict(in_channels=128)))
