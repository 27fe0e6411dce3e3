"""FID of translated images, with the Inception weights read from a file."""
import hashlib
import os.path as osp

import torch
from mmagic.evaluation.functional.fid_inception import (FID_WEIGHTS_URL,
                                                        InceptionV3)
from mmagic.evaluation.metrics import TransFID

from mmxtkd.registry import METRICS


def inception_from_file(path: str) -> torch.nn.Module:
    """mmagic's pytorch-fid ``InceptionV3`` (pool features, 2048-d) with the
    weights of pytorch-fid's ``pt_inception-2015-12-05-6726825d.pth`` read
    from ``path``; nothing is downloaded."""
    if not osp.isfile(path):
        raise FileNotFoundError(
            f"FID's Inception weights not found: {path}. Download pytorch-"
            f'fid\'s file from {FID_WEIGHTS_URL} and put it there, or set '
            "the metric's inception_file")
    state = torch.load(path, map_location='cpu', weights_only=True)
    model = InceptionV3([3], normalize_input=False, load_fid_inception=False)
    # InceptionV3's blocks hold the FID Inception's layers in the order the
    # file lists them; its classifier (fc) is not used
    ours = model.state_dict()
    theirs = [(k, v) for k, v in state.items() if not k.startswith('fc.')]
    if len(theirs) != len(ours) or any(
            v.shape != ours[k].shape for k, (_, v) in zip(ours, theirs)):
        raise RuntimeError(
            f'{path} is not pytorch-fid\'s Inception weights: {len(theirs)} '
            f'tensors (without fc) for the {len(ours)} of InceptionV3, or '
            'shapes that differ')
    model.load_state_dict(
        {k: v for k, (_, v) in zip(ours, theirs)}, strict=True)
    return model.eval()


@METRICS.register_module()
class TransFIDFromFile(TransFID):
    """mmagic's ``TransFID`` (PyTorch-style Inception) with its weights from
    ``inception_file``, a local copy of pytorch-fid's
    ``pt_inception-2015-12-05-6726825d.pth``; a missing file is an error
    saying where to put it (mmagic would download it). The file's SHA-256 is
    part of the key under which mmagic caches the real images' statistics
    (``~/.cache/openmmlab/mmagic``), so that statistics computed with other
    weights are never reused.

    Args:
        inception_file: path of the weights file.
        **kwargs: ``TransFID``'s arguments (``fake_nums``, ``real_key``,
            ``fake_key``, ``sample_model``, ``prefix``, ...).
    """

    def __init__(self, inception_file: str, **kwargs) -> None:
        if kwargs.pop('inception_style', 'PyTorch') != 'PyTorch':
            raise ValueError('TransFIDFromFile uses pytorch-fid\'s Inception '
                             "(inception_style='PyTorch')")
        self.inception_file = inception_file
        super().__init__(inception_style='PyTorch', **kwargs)
        with open(inception_file, 'rb') as f:
            digest = hashlib.file_digest(f, 'sha256').hexdigest()
        # read by mmagic's get_inception_feat_cache_name_and_args
        self.inception_args = dict(inception_file=osp.abspath(inception_file),
                                   sha256=digest)

    def _load_inception(self, inception_style, inception_path):
        return inception_from_file(self.inception_file), 'pytorch'
