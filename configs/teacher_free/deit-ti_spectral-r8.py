# Paper table 4: DeiT-Ti + the teacher-free spectral loss (eq. 6), r = 8,
# weight 1 (74.5 top-1 in the paper), as the root mean square over the rows
# (SpectralRegLoss's default reduction). The loss sees the last block's patch
# tokens as a (B*196, 192) matrix, the class token left out: the dense
# analogue of the depth student's map. deit-ti_spectral-r8_pooled.py applies
# it to the (B, 192) class-token embedding the head classifies instead.
_base_ = './deit-ti_baseline.py'
model = dict(
    distill_losses=dict(
        spectral=dict(
            type='mmxtkd.SpectralRegLoss', rank=8, num_extra_tokens=1)),
    student_feature='backbone.layers.11')
