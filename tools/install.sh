#!/usr/bin/env bash
# Idempotent set-up of mmxtkd and the OpenMMLab stack it builds on.
#
#   bash tools/install.sh                  # into ./.venv (created when missing)
#   bash tools/install.sh --venv DIR       # into another virtual environment
#   bash tools/install.sh --current-env    # into the active conda env / venv:
#                                          # only what it lacks, never a downgrade
#   bash tools/install.sh --target DIR     # an overlay for an environment that
#                                          # must stay as it is (a read-only
#                                          # image): what python on PATH lacks goes
#                                          # into DIR, used with
#                                          # PYTHONPATH=DIR:<this checkout>
#   bash tools/install.sh --plan ...       # say what would be installed, install
#                                          # nothing (--current-env / --target)
#   bash tools/install.sh --wheelhouse DIR # offline, from tools/make_wheelhouse.sh's
#                                          # folder (with --current-env or
#                                          # --target: the node's own torch is kept)
#   bash tools/install.sh --editing        # also the 'editing' extra: mmagic, for
#                                          # the colourisation and sat2map configs
#                                          # (make install adds it)
#
# mmcv 2.1.0 has no wheels on PyPI for current torch, so its compiled ops are
# built from the sdist once per (mmcv, torch, python, CUDA, arch) and the wheel is
# cached in ${MMXTKD_CACHE:-~/.cache/mmxtkd}; later runs install it in seconds.
# A CPU build takes about 3 minutes on 2 cores (a precompiled header of torch's
# headers, no debug info); a CUDA build much longer.
#
# A fresh .venv gets the tested versions (requirements/constraints.txt).
# --current-env and --target keep every installed package whose version
# satisfies mmxtkd's declared ranges (requirements/*.txt) and install only
# what is missing, each at the version pip picks within the ranges, with
# --no-deps (exactly the plan printed); a plan that would downgrade an
# installed package is refused with --current-env (an overlay only shadows it,
# and says so). Their build tools (setuptools < 81 for mmcv's setup.py, wheel,
# ninja) go into a folder of the cache, not into the environment.
#
# Environment: MAX_JOBS (parallel compile jobs, default: all cores),
# MMXTKD_FORCE_CUDA=1 (build CUDA ops without a visible GPU, e.g. on a login
# node; needs nvcc), TORCH_CUDA_ARCH_LIST (default: the visible GPU's arch),
# MMXTKD_MMCV_PCH=0 (build mmcv without the precompiled header),
# MMXTKD_MMCV_OPS=cpu (mmcv's CPU ops only, also on a CUDA machine: minutes
# instead of an hour, and enough for every mmxtkd config, whose models use torch
# ops on the GPU; =cuda is MMXTKD_FORCE_CUDA=1; default auto: CUDA ops when a
# GPU is visible).
set -euo pipefail

MMCV_VERSION=2.1.0
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="${MMXTKD_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mmxtkd}"
VENV="$ROOT/.venv"
MODE=venv
WHEELHOUSE=""
TARGET=""
EDITING=0
PLAN=0
REQ="${MMXTKD_REQUIREMENTS:-$ROOT/requirements}"  # another set: for the tests
START=$(date +%s)

while [ $# -gt 0 ]; do
  case "$1" in
    --venv) VENV="$(realpath -m "$2")"; shift 2 ;;
    --current-env) MODE=current; shift ;;
    --target) MODE=target; TARGET="$(realpath -m "$2")"; shift 2 ;;
    --plan) PLAN=1; shift ;;
    --wheelhouse) WHEELHOUSE="$(realpath -m "$2")"; shift 2 ;;
    --editing) EDITING=1; shift ;;
    -h|--help) sed -n '2,47p' "$0"; exit 0 ;;
    *) echo "install.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
[ "$PLAN" = 0 ] || [ "$MODE" != venv ] || { echo "install.sh: --plan is for --current-env or --target" >&2; exit 2; }

step() { printf '\n[mmxtkd install +%4ss] %s\n' "$(( $(date +%s) - START ))" "$*"; }
die() { printf '\n[mmxtkd install] ERROR: %s\n' "$*" >&2; exit 1; }

if [ -n "$WHEELHOUSE" ]; then
  [ -d "$WHEELHOUSE" ] || die "no wheelhouse at $WHEELHOUSE: make one with tools/make_wheelhouse.sh on a machine with internet"
  ls "$WHEELHOUSE"/mmcv-"$MMCV_VERSION".tar.gz >/dev/null 2>&1 \
    || die "the wheelhouse $WHEELHOUSE has no mmcv-$MMCV_VERSION.tar.gz: make it with tools/make_wheelhouse.sh"
  # every pip call below (and mmcv's sdist download) reads this folder only
  export PIP_NO_INDEX=1 PIP_FIND_LINKS="$WHEELHOUSE"
fi

if [ "$MODE" = venv ]; then
  if [ ! -x "$VENV/bin/python" ]; then
    step "creating virtual environment $VENV"
    "${PYTHON:-python3}" -m venv "$VENV" || die "could not create $VENV (install python3-venv?)"
  fi
  PY="$VENV/bin/python"
else
  PY="$(command -v python || command -v python3)" || die "no python on PATH"
fi
export PATH="$(dirname "$PY"):$PATH"
PIP=("$PY" -m pip)
OWN_PYTHONPATH="${PYTHONPATH:-}"
if [ "$MODE" = target ]; then
  mkdir -p "$TARGET"
  # the overlay and the checkout, as the user will have them
  export PYTHONPATH="$TARGET:$ROOT${PYTHONPATH:+:$PYTHONPATH}"
  PREFIX="$TARGET"
else
  PREFIX="$("$PY" -c 'import sys; print(sys.prefix)')"
fi
PY_TAG=$("$PY" -c 'import sys; print("cp%d%d" % sys.version_info[:2])')

# Everything that decides what gets installed; a matching stamp means nothing to do.
FINGERPRINT=$( (cat "$REQ"/*.txt "$ROOT/tools/install.sh" "$ROOT/setup.py"; echo "editing=$EDITING mode=$MODE") | sha256sum | cut -c1-16)
STAMP="$PREFIX/.mmxtkd-install-$FINGERPRINT"
if [ "$PLAN" = 0 ] && [ -f "$STAMP" ] && "$PY" -c 'import mmcv._ext, mmxtkd' 2>/dev/null; then
  step "environment $PREFIX is up to date"
  exit 0
fi

step "python: $PY ($("$PY" --version 2>&1))"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
BUILD_ENV=()
if [ "$MODE" = venv ]; then
  "${PIP[@]}" install --upgrade pip -r "$REQ/build.txt"
elif ! { "$PY" -c 'import sys, setuptools, wheel; sys.exit(int(setuptools.__version__.split(".")[0]) >= 81)' 2>/dev/null \
         && command -v ninja >/dev/null; }; then
  # setuptools < 81 (mmcv's setup.py imports pkg_resources), wheel and ninja
  # for the builds only, in a folder of their own: the environment keeps its
  # own setuptools and pip
  BUILD_TOOLS="$CACHE/build-tools-$PY_TAG-$(sha256sum "$REQ/build.txt" | cut -c1-8)"
  if [ ! -f "$BUILD_TOOLS/.done" ] && [ "$PLAN" = 0 ]; then
    step "build tools (requirements/build.txt) into $BUILD_TOOLS"
    "${PIP[@]}" install --quiet --upgrade --target "$BUILD_TOOLS" -r "$REQ/build.txt"
    touch "$BUILD_TOOLS/.done"
  fi
  # without the overlay: what it shadows (an older huggingface_hub for the
  # editing extra) would break the environment's packages that setuptools
  # loads while it builds (their entry points)
  BUILD_ENV=(env "PYTHONPATH=$BUILD_TOOLS${OWN_PYTHONPATH:+:$OWN_PYTHONPATH}" "PATH=$BUILD_TOOLS/bin:$PATH")
elif [ "$MODE" = target ]; then
  BUILD_ENV=(env "PYTHONPATH=$OWN_PYTHONPATH")
fi

# --current-env / --target: what the environment lacks, resolved by pip in it
# (dry runs), printed, then installed exactly (--no-deps)
plan_and_install() {
  local what="$1"; shift
  step "$what: what $([ "$MODE" = target ] && echo "the environment and $TARGET lack" || echo "the environment lacks") (pip's dry run)"
  "${PIP[@]}" install --dry-run --quiet --report "$WORK/report.json" "$@" \
    || die "pip could not resolve mmxtkd's requirements in $PREFIX (see above)"
  local refuse=()
  [ "$MODE" = target ] || refuse=(--refuse-downgrades)
  "$PY" "$ROOT/tools/install_plan.py" "$WORK/report.json" --out "$WORK/plan.txt" "${refuse[@]}" || exit 3
  [ "$PLAN" = 0 ] && [ -s "$WORK/plan.txt" ] || return 0
  if [ "$MODE" = target ]; then
    "${PIP[@]}" install --no-deps --upgrade --target "$TARGET" -r "$WORK/plan.txt"
  else
    "${PIP[@]}" install --no-deps -r "$WORK/plan.txt"
  fi
}

if [ "$MODE" != venv ]; then
  EXTRA=()
  [ "$EDITING" = 0 ] || EXTRA=(-r "$REQ/editing.txt")
  plan_and_install "run-time and test dependencies (requirements/{runtime,tests${EXTRA:+,editing}}.txt)" \
    -r "$REQ/runtime.txt" -r "$REQ/tests.txt" "${EXTRA[@]}"
  grep -v '^mmcv' "$REQ/mminstall.txt" > "$WORK/openmmlab.txt"
  [ "$EDITING" = 0 ] || grep -v '^#' "$REQ/editing_mminstall.txt" >> "$WORK/openmmlab.txt"
  plan_and_install "OpenMMLab packages in mmxtkd's ranges, without their declared dependencies (requirements/mminstall.txt)" \
    --no-deps -r "$WORK/openmmlab.txt"
  if [ "$PLAN" = 1 ]; then
    step "plan only: nothing installed (mmcv $MMCV_VERSION: $("$PY" -c 'import mmcv._ext, mmcv; print(mmcv.__version__, "with its ops, kept")' 2>/dev/null || echo "built or taken from the cache"))"
    exit 0
  fi
fi

if "$PY" -c 'import torch, torchvision' 2>/dev/null; then
  step "keeping the installed torch $("$PY" -c 'import torch; print(torch.__version__)')"
else
  if [ -n "$WHEELHOUSE" ] && ! ls "$WHEELHOUSE"/torch-*.whl >/dev/null 2>&1; then
    die "no torch in $PY's environment, and the wheelhouse $WHEELHOUSE has none: install the node's torch and torchvision and run with --current-env, or make the wheelhouse with --with-torch"
  fi
  step "installing torch + torchvision (requirements/torch.txt; a CUDA build is several GB)"
  if [ "$MODE" = target ]; then
    "${PIP[@]}" install --upgrade --target "$TARGET" -r "$REQ/torch.txt"
  else
    "${PIP[@]}" install -r "$REQ/torch.txt"
  fi
fi

# ---------------------------------------------------------------- mmcv ops ----
read -r TORCH_VER TORCH_CUDA HAS_GPU GPU_ARCH < <("$PY" - <<'EOF'
import torch
gpu = torch.cuda.is_available()
arch = '%d.%d' % torch.cuda.get_device_capability() if gpu else '-'
print(torch.__version__.replace('+', '-'), torch.version.cuda or '-',
      int(gpu), arch)
EOF
)
OPS="${MMXTKD_MMCV_OPS:-auto}"
case "$OPS" in auto|cpu|cuda) ;; *) die "MMXTKD_MMCV_OPS must be auto, cpu or cuda, not '$OPS'" ;; esac
if [ "$OPS" = cuda ]; then MMXTKD_FORCE_CUDA=1; fi
if [ "$OPS" != cpu ] && [ "$TORCH_CUDA" != - ] && { [ "$HAS_GPU" = 1 ] || [ "${MMXTKD_FORCE_CUDA:-0}" = 1 ]; }; then
  command -v nvcc >/dev/null || [ -x "${CUDA_HOME:-/usr/local/cuda}/bin/nvcc" ] \
    || die "a CUDA torch and a GPU are present but nvcc is not: install the CUDA toolkit matching torch (CUDA $TORCH_CUDA) and set CUDA_HOME, or build mmcv's CPU ops only (MMXTKD_MMCV_OPS=cpu: enough for every mmxtkd config)"
  export FORCE_CUDA=1
  # torch takes CUDA_HOME from nvcc's folder, wrong for an nvcc on PATH that is
  # a wrapper (/usr/local/bin/nvcc here): the C++ files then miss the toolkit's
  # headers. The first of nvcc's folder and /usr/local/cuda that has them.
  if [ -z "${CUDA_HOME:-}" ]; then
    for home in "$(dirname "$(dirname "$(command -v nvcc)")")" /usr/local/cuda; do
      if [ -f "$home/include/cuda_runtime_api.h" ]; then export CUDA_HOME="$home"; break; fi
    done
    [ -n "${CUDA_HOME:-}" ] || die "found nvcc but not the CUDA toolkit's headers (include/cuda_runtime_api.h): set CUDA_HOME"
  fi
  # torch's CUDA headers include cuSPARSE's, cuBLAS's, ... which a bare
  # toolkit (nvcc and the runtime) may lack: torch's own nvidia wheels carry
  # them. Searched after the toolkit's own include folder (-I), which wins.
  NV_INCLUDES=$("$PY" - <<'EOF'
import glob, os.path as osp, torch
site = osp.dirname(osp.dirname(torch.__file__))
print(':'.join(sorted(glob.glob(osp.join(site, 'nvidia', '*', 'include')) +
                      glob.glob(osp.join(site, 'nvidia', '*', '*', 'include')))))
EOF
)
  [ -z "$NV_INCLUDES" ] || export CPATH="${CPATH:+$CPATH:}$NV_INCLUDES"
  if [ -z "${TORCH_CUDA_ARCH_LIST:-}" ]; then
    [ "$GPU_ARCH" != - ] || die "MMXTKD_FORCE_CUDA=1 without a visible GPU: set TORCH_CUDA_ARCH_LIST (e.g. '8.0;9.0')"
    export TORCH_CUDA_ARCH_LIST="$GPU_ARCH"
  fi
  VARIANT="cu${TORCH_CUDA//./}-sm${TORCH_CUDA_ARCH_LIST//[^0-9]/_}"
else
  # CPU ops only: mmcv's setup.py builds CUDA ops whenever it sees a GPU
  VARIANT=cpu
  unset FORCE_CUDA
  export CUDA_VISIBLE_DEVICES=""
fi
MMCV_KEY="mmcv-$MMCV_VERSION-torch$TORCH_VER-$PY_TAG-$VARIANT-$(uname -m)"
MMCV_CACHE="$CACHE/$MMCV_KEY"

installed_mmcv_ok() {
  "$PY" - "$MMCV_VERSION" <<'EOF' 2>/dev/null
import sys, importlib.metadata as md
assert md.version('mmcv') == sys.argv[1]
import mmcv._ext  # the compiled ops
EOF
}

# HEADER.gch, compiled as torch's extension build compiles mmcv's C++ files:
# distutils' flags (with $CFLAGS), torch's include paths, the extension's
# macros and C++ standard STD.
precompile_header() {
  "${BUILD_ENV[@]}" "$PY" - "$1" "$2" "${FORCE_CUDA:-0}" <<'EOF'
import os.path as osp, subprocess, sys, sysconfig
from setuptools._distutils import ccompiler, sysconfig as distutils_config
from torch.utils import cpp_extension
header, std, cuda = sys.argv[1], sys.argv[2], sys.argv[3] == '1'
compiler = ccompiler.new_compiler()
distutils_config.customize_compiler(compiler)
includes = [osp.dirname(header)] + cpp_extension.include_paths(
    'cuda' if cuda else 'cpu') + [sysconfig.get_paths()['include']]
macros = ['-DTORCH_API_INCLUDE_EXTENSION_H', '-DTORCH_EXTENSION_NAME=_ext']
macros += ['-DMMCV_WITH_CUDA'] if cuda else []
subprocess.run(['c++', *compiler.compiler_so[1:], *('-I' + i for i in includes),
                f'-std=c++{std}', *macros, '-x', 'c++-header', header,
                '-o', header + '.gch'], check=True)
EOF
}

# What mmcv's build needs besides Python packages, checked before minutes of
# compiling: a C++ compiler, ninja (without it torch compiles one file at a
# time) and the interpreter's own headers.
check_build_tools() {
  "${BUILD_ENV[@]}" bash -c 'command -v ninja' >/dev/null \
    || die "ninja is not on PATH: mmcv's build would compile one file at a time. pip install ninja (requirements/build.txt), or your system's ninja-build package"
  command -v c++ >/dev/null || die "no C++ compiler (c++) on PATH: mmcv's ops are compiled here; install g++ (build-essential)"
  local header
  header=$("$PY" -c 'import os.path as osp, sysconfig; print(osp.join(sysconfig.get_paths()["include"], "Python.h"))')
  [ -f "$header" ] || die "the interpreter's headers are missing ($header): mmcv's ops compile against them; install them (Debian/Ubuntu: python$("$PY" -c 'import sys; print("%d.%d" % sys.version_info[:2])')-dev; conda and pyenv Pythons have them)"
}

build_mmcv() {
  local src log
  check_build_tools
  src="$(mktemp -d)"
  log="$CACHE/$MMCV_KEY.build.log"
  mkdir -p "$CACHE"
  step "building mmcv $MMCV_VERSION with compiled ops ($VARIANT) - once per machine; about 3 min on 2 CPU cores for the CPU ops"
  echo "    full log: $log"
  if [ -n "$WHEELHOUSE" ]; then
    cp "$WHEELHOUSE/mmcv-$MMCV_VERSION.tar.gz" "$src/"
  else
    # pip reads the sdist's metadata by running its setup.py, which fails on
    # Python >= 3.13 (below): there, make a wheelhouse on another Python
    "${BUILD_ENV[@]}" "${PIP[@]}" download --no-deps --no-binary :all: --no-build-isolation "mmcv==$MMCV_VERSION" -d "$src" -q \
      || die "could not download mmcv $MMCV_VERSION's source$("$PY" -c 'import sys; print(" (on Python 3.13+ pip runs its setup.py to read it, which fails: make the folder with tools/make_wheelhouse.sh --python-version 3.13 on a Python <= 3.12 and install with --wheelhouse)" if sys.version_info >= (3, 13) else "")')"
  fi
  tar xzf "$src/mmcv-$MMCV_VERSION.tar.gz" -C "$src"
  # Python >= 3.13 (PEP 667): exec() in a function no longer writes the
  # function's locals(), where mmcv's setup.py reads its version from
  sed -i "s/exec(compile(f.read(), version_file, 'exec'))$/exec(compile(f.read(), version_file, 'exec'), globals())/; s/return locals()\['__version__'\]/return globals()['__version__']/" \
    "$src/mmcv-$MMCV_VERSION/setup.py"
  grep -q "return globals()\['__version__'\]" "$src/mmcv-$MMCV_VERSION/setup.py" \
    || die "could not patch mmcv's setup.py for Python 3.13 (get_version)"
  # torch >= 2.14 headers require C++20, older ones C++17; mmcv hard-codes 14/17.
  local std=17
  "$PY" -c "import sys; sys.exit(tuple(map(int, '$TORCH_VER'.split('.')[:2])) < (2, 14))" && std=20
  sed -i "s/-std=c++1[47]/-std=c++$std/g" "$src/mmcv-$MMCV_VERSION/setup.py"
  # Every C++ source re-parses torch's headers (most of its compile time):
  # they are parsed once into a precompiled header, which each C++ compile
  # takes first (the same header every source includes, so nothing else
  # changes; gcc falls back to the header, with a warning, if the PCH does
  # not fit). No debug info (-g0) halves what remains. The machine code is
  # the same as without either (checked with objdump on roi_align.cpp).
  local header="$src/mmcv-$MMCV_VERSION/mmcv/ops/csrc/common/pytorch_cpp_helper.hpp"
  export CFLAGS="${CFLAGS:+$CFLAGS }-g0"
  if [ "${MMXTKD_MMCV_PCH:-1}" = 1 ]; then
    step "precompiling torch's headers for mmcv's C++ sources"
    precompile_header "$header" "$std" || die "the precompiled header failed"
    sed -i "s|extra_compile_args\['cxx'\] = \['-std=c++$std'\]|extra_compile_args['cxx'] = ['-std=c++$std', '-include', '$header', '-Winvalid-pch']|" \
      "$src/mmcv-$MMCV_VERSION/setup.py"
    grep -q -- "'-include', '$header'" "$src/mmcv-$MMCV_VERSION/setup.py" \
      || die "could not add the precompiled header to mmcv's setup.py"
  fi
  (
    cd "$src/mmcv-$MMCV_VERSION"
    export MMCV_WITH_OPS=1 MAX_JOBS="${MAX_JOBS:-$(nproc)}"
    "${BUILD_ENV[@]}" "${PIP[@]}" wheel -v --no-deps --no-build-isolation . -w "$src/dist" 2>&1 | tee "$log" \
      | awk -v t0="$(date +%s)" '
          /^ *\[[0-9]+\/[0-9]+\]/ {
            n = split($0, w, " "); f = "";
            for (i = 1; i < n; i++) if (w[i] == "-c" && w[i + 1] !~ /^-/) f = w[i + 1];
            sub(/.*\//, "", f);
            printf "    %s %-40s %4ds\n", $1, f, systime() - t0; fflush() }
          / error: |Skip building ext ops/ { print "    " $0; fflush() }
          /\.gch: not used/ && !pch { pch = 1; print "    slower: " $0; fflush() }'
  ) || die "mmcv build failed; see $log"
  mkdir -p "$MMCV_CACHE"
  mv "$src"/dist/mmcv-*.whl "$MMCV_CACHE/"
  rm -rf "$src"
}

# --------------------------------------------------------------- the rest ----
if [ "$MODE" = venv ]; then
  step "installing run-time and test dependencies at the tested versions (requirements/{runtime,tests,constraints}.txt)"
  "${PIP[@]}" install -r "$REQ/runtime.txt" -r "$REQ/tests.txt" \
    -c "$REQ/constraints.txt"
  step "installing OpenMMLab packages without their declared dependencies (requirements/openmmlab.txt)"
  "${PIP[@]}" install --no-deps -r "$REQ/openmmlab.txt"
  if [ "$EDITING" = 1 ]; then
    step "installing the 'editing' extra: mmagic and what it needs (requirements/editing{,_openmmlab}.txt)"
    "${PIP[@]}" install -r "$REQ/editing.txt" -c "$REQ/constraints.txt"
    "${PIP[@]}" install --no-deps -r "$REQ/editing_openmmlab.txt"
  fi
fi
if installed_mmcv_ok; then
  step "mmcv $MMCV_VERSION with compiled ops is already installed"
else
  if ! ls "$MMCV_CACHE"/mmcv-*.whl >/dev/null 2>&1; then
    build_mmcv
  else
    step "using the cached mmcv wheel in $MMCV_CACHE"
  fi
  if [ "$MODE" = target ]; then
    "${PIP[@]}" install --no-deps --upgrade --target "$TARGET" "$MMCV_CACHE"/mmcv-*.whl
  else
    "${PIP[@]}" install --no-deps --force-reinstall "$MMCV_CACHE"/mmcv-*.whl
  fi
  installed_mmcv_ok || { "$PY" -c 'import mmcv._ext'; die "mmcv is installed but 'import mmcv._ext' fails: the compiled ops are missing. Remove $MMCV_CACHE and run again; the build log is $CACHE/$MMCV_KEY.build.log"; }
fi

if [ "$MODE" = target ]; then
  step "mmxtkd from this checkout (on PYTHONPATH; mmxtkd/.mim links its configs)"
  "${BUILD_ENV[@]}" "$PY" -c "import sys; sys.path.insert(0, sys.argv[1]); import setup; setup.add_mim_extension(editable=True)" "$ROOT"
else
  step "installing mmxtkd (editable)"
  # PEP 660 with the build tools at hand: without --use-pep517, setuptools
  # runs 'pip install -e' again with an isolated build, which needs an index
  "${BUILD_ENV[@]}" "${PIP[@]}" install --no-deps --no-build-isolation --use-pep517 -e "$ROOT"
fi

step "checking the environment"
"$PY" - "$EDITING" <<'EOF' || die "the environment is incomplete (see the error above)"
import sys
import mmxtkd  # first: its shims patch what today's numpy / transformers break
import mmcv._ext, mmcv.ops  # noqa: F401
import mmseg.models, mmdet.models, mmpretrain.models  # noqa: F401
if sys.argv[1] == '1':
    import mmxtkd.models.editing  # noqa: F401  (mmagic)
print('    mmxtkd', mmxtkd.__version__, 'with the OpenMMLab stack'
      + (' and the editing extra' if sys.argv[1] == '1' else '') + ': OK')
EOF
touch "$STAMP"
step "done"
[ "$MODE" != target ] || echo "    use it with: export PYTHONPATH=$TARGET:$ROOT\${PYTHONPATH:+:\$PYTHONPATH}"
