#!/usr/bin/env bash
# A folder of everything tools/install.sh installs, for machines without
# internet (compute nodes of many clusters): on a machine with it,
#
#   bash tools/make_wheelhouse.sh DIR [--python-version 3.11]
#       [--platform manylinux_2_28_x86_64 ...] [--with-torch]
#
# then, on the node, bash tools/install.sh --wheelhouse DIR [--current-env].
# DIR gets the wheels of requirements/{build,runtime,editing,tests,openmmlab,
# editing_openmmlab}.txt (at
# the versions of constraints.txt) and
# all they need, pip's own wheel and mmcv's sdist (built on the node). torch
# and torchvision, and what only they need (CUDA wheels, triton, ...), are
# left to the node unless --with-torch (several GB). --python-version and
# --platform (pip's tags; give several for manylinux variants) make the folder
# for another Python or machine than this one; without them, this one's.
set -euo pipefail

MMCV_VERSION=2.1.0
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PY="${PYTHON:-python3}"
DIR=""
WITH_TORCH=0
TARGET=()

while [ $# -gt 0 ]; do
  case "$1" in
    --python-version) TARGET+=(--python-version "$2"); shift 2 ;;
    --platform) TARGET+=(--platform "$2"); shift 2 ;;
    --with-torch) WITH_TORCH=1; shift ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    -*) echo "make_wheelhouse.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
    *) DIR="$1"; shift ;;
  esac
done
[ -n "$DIR" ] || { echo "make_wheelhouse.sh: give the folder to fill (see --help)" >&2; exit 2; }
START=$(date +%s)
step() { printf '\n[mmxtkd wheelhouse +%4ss] %s\n' "$(( $(date +%s) - START ))" "$*"; }

mkdir -p "$DIR"
DIR="$(cd "$DIR" && pwd)"
REQS=(-r "$ROOT/requirements/build.txt" -r "$ROOT/requirements/runtime.txt"
      -r "$ROOT/requirements/editing.txt"
      -r "$ROOT/requirements/tests.txt" -r "$ROOT/requirements/torch.txt"
      -c "$ROOT/requirements/constraints.txt")
# binary wheels only for another target (pip cannot build for it)
FOR_TARGET=()
[ ${#TARGET[@]} -eq 0 ] || FOR_TARGET=("${TARGET[@]}" --only-binary=:all:)
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

step "resolving the requirements (pip's dry run, nothing installed)"
"$PY" -m pip install --dry-run --ignore-installed --quiet --report "$WORK/report.json" \
  --target "$WORK/target" "${FOR_TARGET[@]}" "${REQS[@]}"
WITHOUT=(torch torchvision)
[ "$WITH_TORCH" = 0 ] || WITHOUT=()
"$PY" "$ROOT/tools/wheelhouse_closure.py" "$WORK/report.json" \
  --without "${WITHOUT[@]}" > "$WORK/closure.txt"
echo "    $(wc -l < "$WORK/closure.txt") packages$([ "$WITH_TORCH" = 1 ] && echo ' (with torch)' || echo ', torch left to the node')"

step "downloading their wheels into $DIR"
"$PY" -m pip download --no-deps --quiet -d "$DIR" "${FOR_TARGET[@]}" \
  -r "$WORK/closure.txt" pip
step "downloading the OpenMMLab packages (requirements/openmmlab.txt, pure Python)"
"$PY" -m pip download --no-deps --quiet -d "$DIR" -r "$ROOT/requirements/openmmlab.txt" \
  -r "$ROOT/requirements/editing_openmmlab.txt"
step "downloading mmcv $MMCV_VERSION's source (its ops are compiled on the node)"
# pip reads an sdist's metadata by running its setup.py, which imports
# pkg_resources: with the setuptools < 81 of the wheelhouse, in a venv of its own
"$PY" -m venv "$WORK/venv"
"$WORK/venv/bin/python" -m pip install --quiet --no-index --find-links "$DIR" \
  -r "$ROOT/requirements/build.txt"
"$WORK/venv/bin/python" -m pip download --no-deps --no-binary :all: \
  --no-build-isolation --quiet -d "$DIR" "mmcv==$MMCV_VERSION"

step "done: $(ls "$DIR" | wc -l) files, $(du -sh "$DIR" | cut -f1) in $DIR"
echo "    install on the node: bash tools/install.sh --wheelhouse $DIR [--current-env]"
