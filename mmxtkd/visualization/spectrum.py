"""The projector spectra written by SpectralRankHook, as the paper's figure 3.

One panel per projection matrix: every singular value over training (log
scale, darker = larger), and the numerical rank (sigma_i > tol * sigma_1) as a
shaded green area on the right axis.
"""
from collections import defaultdict
from typing import Dict, List

import numpy as np
from matplotlib import colormaps
from matplotlib.figure import Figure

from mmxtkd.utils.json_lines import read_json_lines


def read_history(path: str) -> Dict[str, List[dict]]:
    """Records of the spectra file grouped by projector tag, by iteration."""
    groups: Dict[str, List[dict]] = defaultdict(list)
    for rec in read_json_lines(path):
        groups[rec['projector']].append(rec)
    if not groups:
        raise ValueError(f'{path} holds no spectra; was SpectralRankHook on?')
    for recs in groups.values():
        recs.sort(key=lambda r: r['iter'])
    return dict(groups)


def plot_spectrum(groups: Dict[str, List[dict]], out: str) -> None:
    """Write the figure for :func:`read_history`'s records to ``out`` (PNG)."""
    # matplotlib's object API: no pyplot, so the user's backend is untouched
    fig = Figure(figsize=(5 * len(groups), 3.6))
    axes = fig.subplots(1, len(groups), squeeze=False)
    for ax, (tag, recs) in zip(axes[0], groups.items()):
        iters = np.array([r['iter'] for r in recs])
        sv = np.array([r['singular_values'] for r in recs])  # (T, n)
        ranks = np.array([r['rank'] for r in recs])
        rank_ax = ax.twinx()
        rank_ax.fill_between(iters, 0, ranks, color='tab:green', alpha=0.25,
                             step='post', label='numerical rank')
        rank_ax.set_ylim(0, sv.shape[1])
        rank_ax.set_ylabel('rank (tol %.g)' % recs[0]['tol'])
        colours = colormaps['viridis'](np.linspace(0, 0.9, sv.shape[1]))
        for i in range(sv.shape[1]):
            ax.plot(
                iters, np.maximum(sv[:, i], 1e-12), color=colours[i], lw=0.8)
        ax.set_yscale('log')
        ax.set_zorder(rank_ax.get_zorder() + 1)
        ax.patch.set_visible(False)
        ax.set_xlabel('iteration')
        ax.set_ylabel('singular value')
        ax.set_title(f'{tag} ({sv.shape[1]} singular values)')
    fig.tight_layout()
    fig.savefig(out, dpi=120)
