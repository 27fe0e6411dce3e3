"""Singular values and numerical rank of the projection matrices (fig. 3)."""
import json
import os.path as osp
from typing import Dict, Iterator, List, Optional, Tuple

import torch
from mmengine.dist import master_only
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper

from mmxtkd.analysis.decomposition import loss_decomposition, numerical_rank
from mmxtkd.registry import HOOKS
from mmxtkd.utils.json_lines import read_json_lines


@HOOKS.register_module()
class SpectralRankHook(Hook):
    """Track the spectra of every projector's matrices during training.

    Every ``interval`` iterations, for each projector of the model's
    distillation (:class:`~mmxtkd.models.Distillation`'s
    ``named_projectors()``: Inverted/Traditional projectors, ensembles), it
    computes the singular values of each of its ``projection_matrices()``
    and its numerical rank (``sigma_i > tol * sigma_1``), puts
    ``spectral/rank[_tag]`` and ``spectral/sigma_max[_tag]`` in the message
    hub (so the logger hook sends them to every visualizer backend; the tag,
    the pair's name, ``main`` for the single-pair keys, is left out when
    there is one matrix), and
    appends one JSON line per matrix to ``<work_dir>/<filename>`` for
    ``tools/analysis/plot_spectrum.py``.
    A run starts that file afresh, or, when it resumes, from the records up
    to its checkpoint's iteration.

    The rank it reports depends on the optimiser as well as on the loss:
    weight decay (AdamW's 0.05 in the depth configs, as the paper trains)
    shrinks every singular value of the projector, so directions the loss
    does not hold up decay towards zero and drop under the tolerance. The
    configs state the projector's decay in ``optim_wrapper.paramwise_cfg``
    (``custom_keys={'projector': dict(decay_mult=1.0)}``); a run with
    ``decay_mult=0`` shows the spectrum the loss alone shapes.

    With ``decomposition=True`` it also splits the L2 distillation loss of
    the same iteration's batch (the maps each projected pair compared, as
    its loss saw them, on this process) into section 3.4's knowledge
    transfer and regularisation terms
    (:func:`mmxtkd.analysis.decomposition.loss_decomposition`): the rank of
    the projected teacher map, ``loss``, ``transfer``, ``regularisation``
    and ``teacher_tail``, logged as ``decomposition/<term>[_tag]`` and kept
    in each projector's record under ``decomposition``. The maps are the
    pair's ``(Z_s, Z_t P)`` for an inverted projector, ``(Z_s P, Z_t)`` for a
    traditional one; a projector ensemble's pair is not decomposed.

    Args:
        interval: iterations between measurements.
        tol: relative tolerance of the numerical rank (paper: 0.01).
        filename: the spectra file, in the work dir.
        decomposition: also measure the loss decomposition.
    """

    # before LoggerHook, so the values reach this iteration's log
    priority = 'NORMAL'

    def __init__(self, interval: int = 50, tol: float = 0.01,
                 filename: str = 'spectral_history.jsonl',
                 decomposition: bool = False) -> None:
        if interval < 1:
            raise ValueError(f'interval must be >= 1, got {interval}')
        self.interval = interval
        self.tol = tol
        self.filename = filename
        self.decomposition = decomposition

    @staticmethod
    def distillations(model) -> List:
        """The model's distillation containers: its modules that offer
        ``named_projectors()`` (DDP-wrapped or not)."""
        if is_model_wrapper(model):
            model = model.module
        return [m for m in model.modules() if hasattr(m, 'named_projectors')]

    @classmethod
    def projection_matrices(cls, model) -> Iterator[Tuple[str, torch.Tensor]]:
        """``(tag, matrix)`` for every projection matrix of the model: the
        pair's name, ``.<i>`` added for each of an ensemble's."""
        for distill in cls.distillations(model):
            for tag, projector in distill.named_projectors():
                mats = projector.projection_matrices()
                for i, mat in enumerate(mats):
                    yield (tag if len(mats) == 1 else f'{tag}.{i}'), mat

    def spectra(self, model) -> List[Dict]:
        """One record (tag, singular values, rank) per projection matrix."""
        records = []
        for tag, mat in self.projection_matrices(model):
            sv = torch.linalg.svdvals(mat.detach().double().cpu())
            records.append(
                dict(
                    projector=tag,
                    rank=numerical_rank(sv, self.tol),
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

    def before_train_iter(self, runner, batch_idx: int,
                          data_batch=None) -> None:
        if self.decomposition and self.every_n_train_iters(runner,
                                                           self.interval):
            for distill in self.distillations(runner.model):
                distill.keep_compared_maps()

    def decompose(self, model) -> Dict[str, Dict[str, float]]:
        """``{pair: loss_decomposition terms}`` of the maps each projected
        pair kept in this iteration; the pairs stop keeping."""
        terms = {}
        for distill in self.distillations(model):
            for tag, maps in distill.pop_compared_maps().items():
                pred, target = (m.float().movedim(1, -1).flatten(0, -2)
                                if m.dim() > 2 else m.float() for m in maps)
                terms[tag] = loss_decomposition(pred, target, self.tol)
        return terms

    def after_train_iter(self,
                         runner,
                         batch_idx: int,
                         data_batch=None,
                         outputs: Optional[dict] = None) -> None:
        if not self.every_n_train_iters(runner, self.interval):
            return
        records = self.spectra(runner.model)
        if not records:
            return
        decomposed = self.decompose(runner.model) if self.decomposition \
            else {}
        single = len(records) == 1
        for rec in records:
            suffix = '' if single else '_' + rec['projector']
            hub = runner.message_hub
            hub.update_scalar(f'train/spectral/rank{suffix}', rec['rank'])
            hub.update_scalar(f'train/spectral/sigma_max{suffix}',
                              rec['singular_values'][0])
            if rec['projector'] in decomposed:
                rec['decomposition'] = decomposed[rec['projector']]
                for key, value in rec['decomposition'].items():
                    if key != 'bound':
                        hub.update_scalar(
                            f'train/decomposition/{key}{suffix}', value)
        self._append(runner, records)

    @master_only
    def _append(self, runner, records: List[Dict]) -> None:
        with open(osp.join(runner.work_dir, self.filename), 'a') as f:
            for rec in records:
                f.write(json.dumps(dict(iter=runner.iter + 1, tol=self.tol,
                                        **rec)) + '\n')
