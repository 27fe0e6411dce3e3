# The metrics of both translation tasks, completed by each data set with its
# keys: PSNR, and FID with pytorch-fid's Inception read from a local file.
psnr = dict(type='mmxtkd.TransPSNR')
fid = dict(
    type='mmxtkd.TransFIDFromFile',
    inception_file='checkpoints/pt_inception-2015-12-05-6726825d.pth',
    prefix='FID',
    sample_model='orig')
