"""Singular values and numerical rank of the projection matrices (paper fig. 3)."""
import json
import os.path as osp
from typing import Dict, Iterator, List, Optional, Tuple

import torch
from mmengine.dist import master_only
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper

from mmxtkd.models.distillation_pairs import DistillationPairs
from mmxtkd.registry import HOOKS
from mmxtkd.utils.json_lines import read_json_lines


def numerical_rank(singular_values: torch.Tensor, tol: float) -> int:
    """Count of ``sigma_i > tol * sigma_1`` (0 for an all-zero matrix)."""
    if singular_values.numel() == 0 or singular_values[0] <= 0:
        return 0
    return int((singular_values > tol * singular_values[0]).sum())


@HOOKS.register_module()
class SpectralRankHook(Hook):
    """Track the spectra of every projector's matrices during training.

    Every ``interval`` iterations, for each module of the model that has
    ``projection_matrices()`` (Inverted/Traditional projectors, ensembles),
    it computes the singular values of each matrix and its numerical rank
    (``sigma_i > tol * sigma_1``), puts ``spectral/rank[_tag]`` and
    ``spectral/sigma_max[_tag]`` in the message hub (so the logger hook
    sends them to every visualizer backend; the tag, a pair's name when the
    model has several pairs, is left out when there is one matrix), and
    appends one JSON line per
    matrix to ``<work_dir>/<filename>`` for ``tools/analysis/plot_spectrum.py``.
    A run starts that file afresh, or, when it resumes, from the records up
    to its checkpoint's iteration.

    The rank it reports depends on the optimiser as well as on the loss:
    weight decay (AdamW's 0.05 in the depth configs, as the paper trains)
    shrinks every singular value of the projector, so directions the loss
    does not hold up decay towards zero and drop under the tolerance. The
    configs state the projector's decay in ``optim_wrapper.paramwise_cfg``
    (``custom_keys={'projector': dict(decay_mult=1.0)}``); a run with
    ``decay_mult=0`` shows the spectrum the loss alone shapes.

    Args:
        interval: iterations between measurements.
        tol: relative tolerance of the numerical rank (paper: 0.01).
        filename: the spectra file, in the work dir.
    """

    priority = 'NORMAL'  # before LoggerHook, so the values reach this iter's log

    def __init__(self, interval: int = 50, tol: float = 0.01,
                 filename: str = 'spectral_history.jsonl') -> None:
        if interval < 1:
            raise ValueError(f'interval must be >= 1, got {interval}')
        self.interval = interval
        self.tol = tol
        self.filename = filename

    @staticmethod
    def projection_matrices(model) -> Iterator[Tuple[str, torch.Tensor]]:
        """``(tag, matrix)`` for every projection matrix in the model: the
        projector's module name (``distill.projector``), or for a pair of
        several (:class:`DistillationPairs`) the pair's name; ``.<i>`` for
        each of an ensemble's matrices."""
        if is_model_wrapper(model):
            model = model.module
        pair_of = {id(pair.projector): name
                   for module in model.modules()
                   if isinstance(module, DistillationPairs)
                   for name, pair in module.named_pairs()}
        for name, module in model.named_modules():
            if hasattr(module, 'projection_matrices'):
                tag = pair_of.get(id(module), name)
                mats = module.projection_matrices()
                for i, mat in enumerate(mats):
                    yield (tag if len(mats) == 1 else f'{tag}.{i}'), mat

    def spectra(self, model) -> List[Dict]:
        """One record (tag, singular values, rank) per projection matrix."""
        records = []
        for tag, mat in self.projection_matrices(model):
            sv = torch.linalg.svdvals(mat.detach().double().cpu())
            records.append(dict(projector=tag, rank=numerical_rank(sv, self.tol),
                                singular_values=sv.tolist()))
        return records

    @master_only
    def before_train(self, runner) -> None:
        """Drop the records of iterations after the one this run starts
        from: all of a previous run in the same work dir, or those a resumed
        run will redo."""
        path = osp.join(runner.work_dir, self.filename)
        if not osp.isfile(path):
            return
        kept = [r for r in read_json_lines(path, drop_torn_tail=True)
                if r['iter'] <= runner.iter]
        with open(path, 'w') as f:
            f.writelines(json.dumps(r) + '\n' for r in kept)

    def after_train_iter(self, runner, batch_idx: int,
                         data_batch=None, outputs: Optional[dict] = None) -> None:
        if not self.every_n_train_iters(runner, self.interval):
            return
        records = self.spectra(runner.model)
        if not records:
            return
        single = len(records) == 1
        for rec in records:
            suffix = '' if single else '_' + rec['projector']
            runner.message_hub.update_scalar(f'train/spectral/rank{suffix}',
                                             rec['rank'])
            runner.message_hub.update_scalar(
                f'train/spectral/sigma_max{suffix}', rec['singular_values'][0])
        self._append(runner, records)

    @master_only
    def _append(self, runner, records: List[Dict]) -> None:
        with open(osp.join(runner.work_dir, self.filename), 'a') as f:
            for rec in records:
                f.write(json.dumps(dict(iter=runner.iter + 1, tol=self.tol,
                                        **rec)) + '\n')
