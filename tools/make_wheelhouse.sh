#!/usr/bin/env bash
# A folder of everything tools/install.sh installs, for machines without
# internet (compute nodes of many clusters): on a machine with it,
#
#   bash tools/make_wheelhouse.sh DIR [--python-version 3.11]
#       [--platform manylinux_2_28_x86_64 ...] [--with-torch]
#       [--installed NODE_FREEZE.txt] [--core] [--list]
#
# then, on the node, bash tools/install.sh --wheelhouse DIR [--current-env |
# --target SITE].
# DIR gets the wheels of requirements/{build,runtime,editing,tests,openmmlab,
# editing_openmmlab}.txt (at
# the versions of constraints.txt) and
# all they need, pip's own wheel and mmcv's sdist (built on the node). torch
# and torchvision, and what only they need (CUDA wheels, triton, ...), are
# left to the node unless --with-torch (several GB). --python-version and
# --platform (pip's tags; give several for manylinux variants) make the folder
# for another Python or machine than this one; without them, this one's.
# --installed: the node's own package list (`python -m pip inspect` run there,
# saved here; `pip list --format=freeze` works too, but without the packages'
# own requirements pip cannot see what a planned package forces on them):
# what the node has is resolved at its version and left out, so the folder
# holds only what the node lacks (for --current-env / --target), plus the
# build tools mmcv's build needs (setuptools < 81, wheel, ninja). --core: without the 'editing' extra (mmagic, whose diffusers needs
# huggingface_hub < 0.26: a node with a current huggingface_hub takes the
# core only). --list: print the packages, download nothing.
set -euo pipefail

MMCV_VERSION=2.1.0
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PY="${PYTHON:-python3}"
DIR=""
WITH_TORCH=0
TARGET=()
INSTALLED=""
LIST=0
EDITING=1
REQ="${MMXTKD_REQUIREMENTS:-$ROOT/requirements}"  # another set: for the tests

while [ $# -gt 0 ]; do
  case "$1" in
    --python-version) TARGET+=(--python-version "$2"); shift 2 ;;
    --platform) TARGET+=(--platform "$2"); shift 2 ;;
    --with-torch) WITH_TORCH=1; shift ;;
    --installed) INSTALLED="$(realpath "$2")"; shift 2 ;;
    --list) LIST=1; shift ;;
    --core) EDITING=0; shift ;;
    -h|--help) sed -n '2,25p' "$0"; exit 0 ;;
    -*) echo "make_wheelhouse.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
    *) DIR="$1"; shift ;;
  esac
done
[ -n "$DIR" ] || [ "$LIST" = 1 ] || { echo "make_wheelhouse.sh: give the folder to fill (see --help)" >&2; exit 2; }
START=$(date +%s)
# progress on stderr: --list prints the packages on stdout
step() { printf '\n[mmxtkd wheelhouse +%4ss] %s\n' "$(( $(date +%s) - START ))" "$*" >&2; }

if [ "$LIST" = 0 ]; then
  mkdir -p "$DIR"
  DIR="$(cd "$DIR" && pwd)"
fi
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
REQS=(-r "$REQ/runtime.txt" -r "$REQ/tests.txt")
# the node's torch with --installed (resolved at its version as the rest)
[ -n "$INSTALLED" ] || REQS+=(-r "$REQ/torch.txt")
[ "$EDITING" = 0 ] || REQS+=(-r "$REQ/editing.txt")
RESOLVE=("$PY" -m pip install --dry-run --ignore-installed --target "$WORK/target")
if [ -n "$INSTALLED" ]; then
  [ -f "$INSTALLED" ] || { echo "make_wheelhouse.sh: no package list at $INSTALLED" >&2; exit 2; }
  # pip sees the node's packages as installed (metadata-only copies) and
  # nothing else (-S: no site-packages; pip itself copied beside them), so
  # its dry run plans what the node lacks; the tested pins for those
  "$PY" "$ROOT/tools/wheelhouse_closure.py" --stub-site "$INSTALLED" "$WORK/node-site"
  cp -r "$("$PY" -c 'import os.path as osp, pip; print(osp.dirname(pip.__file__))')" "$WORK/node-site/"
  "$PY" "$ROOT/tools/wheelhouse_closure.py" --missing "$INSTALLED" \
    "$REQ/constraints.txt" > "$WORK/constraints.txt"
  REQS+=(-c "$WORK/constraints.txt")
  RESOLVE=(env "PYTHONPATH=$WORK/node-site" "$PY" -S -m pip install --dry-run)
else
  REQS+=(-r "$REQ/build.txt" -c "$REQ/constraints.txt")
fi
# binary wheels only for another target (pip cannot build for it)
FOR_TARGET=()
[ ${#TARGET[@]} -eq 0 ] || FOR_TARGET=("${TARGET[@]}" --only-binary=:all:)

step "resolving the requirements (pip's dry run, nothing installed)"
"${RESOLVE[@]}" --quiet --report "$WORK/report.json" "${FOR_TARGET[@]}" "${REQS[@]}"
WITHOUT=(torch torchvision)
[ "$WITH_TORCH" = 0 ] || WITHOUT=()
"$PY" "$ROOT/tools/wheelhouse_closure.py" "$WORK/report.json" \
  --without "${WITHOUT[@]}" > "$WORK/closure.txt"
echo >&2 "    $(wc -l < "$WORK/closure.txt") packages$([ "$WITH_TORCH" = 1 ] && echo ' (with torch)' || echo ', torch left to the node')$([ -n "$INSTALLED" ] && echo ", the node's own left out")"
OPENMMLAB=("$REQ/openmmlab.txt")
[ "$EDITING" = 0 ] || OPENMMLAB+=("$REQ/editing_openmmlab.txt")
grep -hv '^#' "${OPENMMLAB[@]}" | grep . > "$WORK/openmmlab.txt" || true
if [ -n "$INSTALLED" ]; then
  "$PY" "$ROOT/tools/wheelhouse_closure.py" --missing "$INSTALLED" "$WORK/openmmlab.txt" > "$WORK/openmmlab_missing.txt"
  mv "$WORK/openmmlab_missing.txt" "$WORK/openmmlab.txt"
fi
if [ "$LIST" = 1 ]; then
  cat "$WORK/closure.txt" "$WORK/openmmlab.txt"
  exit 0
fi

step "downloading their wheels into $DIR"
"$PY" -m pip download --no-deps --quiet -d "$DIR" "${FOR_TARGET[@]}" \
  -r "$WORK/closure.txt" pip
if [ -n "$INSTALLED" ]; then
  # with what they need (packaging, for wheel): install.sh puts them into
  # a folder of their own, where the node's packages are not seen
  step "downloading the build tools (requirements/build.txt)"
  "$PY" -m pip download --quiet -d "$DIR" "${FOR_TARGET[@]}" \
    -r "$REQ/build.txt" -c "$REQ/constraints.txt"
fi
step "downloading the OpenMMLab packages (requirements/openmmlab.txt, pure Python)"
[ ! -s "$WORK/openmmlab.txt" ] || "$PY" -m pip download --no-deps --quiet -d "$DIR" -r "$WORK/openmmlab.txt"
step "downloading mmcv $MMCV_VERSION's source (its ops are compiled on the node)"
# pip reads an sdist's metadata by running its setup.py, which imports
# pkg_resources: with the setuptools < 81 of the wheelhouse, in a venv of its own
"$PY" -m venv "$WORK/venv"
"$WORK/venv/bin/python" -m pip install --quiet --no-index --find-links "$DIR" \
  -r "$REQ/build.txt"
"$WORK/venv/bin/python" -m pip download --no-deps --no-binary :all: \
  --no-build-isolation --quiet -d "$DIR" "mmcv==$MMCV_VERSION"

step "done: $(ls "$DIR" | wc -l) files, $(du -sh "$DIR" | cut -f1) in $DIR"
echo "    install on the node: bash tools/install.sh --wheelhouse $DIR [--current-env | --target SITE]"
