"""How close SpectralRegLoss's subspace methods come to eq. 6, and what they
cost, on (N, C) matrices with flat and decaying spectra.

    python tools/analysis/spectral_accuracy.py [--n 3600] [--c 1280]

For each spectrum and r it prints the relative error of the loss
``||Z - Z V V^T||_F`` against float64 singular values, for the exact path and
the randomised sketch (float32, as in training, and float64, which shows how
much of the error is float32 rounding), and the median time of each.
"""
import argparse
import time

import torch

from mmxtkd.models.losses.spectral import (exact_top_right_singular_vectors,
                                           top_right_singular_vectors)


def spectra(n: int, c: int, gen: torch.Generator) -> dict:
    k = min(n, c)
    u = torch.linalg.qr(torch.randn(n, k, generator=gen)).Q
    v = torch.linalg.qr(torch.randn(c, k, generator=gen)).Q
    i = torch.arange(k, dtype=torch.float32)
    return {
        'flat (Gaussian)': torch.randn(n, c, generator=gen),
        'decaying 0.9^i': (u * 0.9**i) @ v.t(),
        'decaying 1/i': (u / (1 + i)) @ v.t(),
    }


def timed(fn, repeats: int = 3):
    times, out = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return out, sorted(times)[len(times) // 2]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--n', type=int, default=3600, help='rows (B*H*W)')
    parser.add_argument('--c', type=int, default=1280, help='channels')
    parser.add_argument('--ranks', type=int, nargs='+', default=[1, 2, 8, 32])
    args = parser.parse_args()
    gen = torch.Generator().manual_seed(0)
    print(f'Z: {args.n} x {args.c}, torch threads {torch.get_num_threads()}')
    print('| spectrum | r | exact err | sketch err (fp32) | sketch err (fp64) '
          '| exact ms | sketch ms |')
    print('|---|---|---|---|---|---|---|')
    for name, z in spectra(args.n, args.c, gen).items():
        s = torch.linalg.svdvals(z.double())
        for r in args.ranks:
            truth = (s[r:]**2).sum().sqrt().item()

            def err(v, zz=z):
                tail = zz - (zz @ v.to(zz.dtype)) @ v.to(zz.dtype).t()
                loss = torch.linalg.vector_norm(tail).item()
                return abs(loss - truth) / truth

            v_exact, t_exact = timed(
                lambda: exact_top_right_singular_vectors(z, r))
            v_sketch, t_sketch = timed(
                lambda: top_right_singular_vectors(z, r))
            v_sketch64 = top_right_singular_vectors(z.double(), r)
            print(f'| {name} | {r} | {err(v_exact):.1e} | {err(v_sketch):.1e} '
                  f'| {err(v_sketch64, z.double()):.1e} | {t_exact * 1e3:.0f} '
                  f'| {t_sketch * 1e3:.0f} |')


if __name__ == '__main__':
    main()
