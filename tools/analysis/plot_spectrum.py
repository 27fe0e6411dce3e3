"""Plot the projector spectra written by SpectralRankHook (paper figure 3).

    python tools/analysis/plot_spectrum.py WORK_DIR/spectral_history.jsonl \
        --out spectrum.png
"""
import argparse

from mmxtkd.visualization import plot_spectrum, read_history


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('history', help='spectral_history.jsonl of a run')
    parser.add_argument('--out', default='spectrum.png', help='PNG to write')
    args = parser.parse_args()
    plot_spectrum(read_history(args.history), args.out)
    print(f'wrote {args.out}')


if __name__ == '__main__':
    main()
