#!/usr/bin/env bash
# The GPU figures of docs/advanced/benchmarks.md, in one run on a CUDA machine that
# needs no network (about 10 minutes on one GPU and 16 cores):
#
#   bash tools/benchmark_gpu.sh [--wheelhouse DIR] [--venv DIR | --current-env |
#       --target SITE | --no-install] [--out DIR] [--iters 200] [--quick] [--no-tests]
#       [--no-distill] [--allow-cpu]
#
#   1. install: tools/install.sh (with --wheelhouse: offline) with mmcv's CPU
#      ops only, built with all cores (no mmxtkd config calls an mmcv CUDA op)
#   2. the GPU tests: tests/test_cuda.py and tests/test_mmcv_ops.py (not with
#      --no-tests, e.g. for a full-size pass after a --quick one)
#   3. the synthetic data sets written at the real ones' sizes (NYUv2 480x640,
#      ADE20K 512x683, facades 256x256 pairs, maps 600x600), in parallel
#   4. tools/analysis/benchmark_distill.py on the main depth config at the
#      paper's batch 16 and 480x480 crop: float32 with every teacher option,
#      --amp, --channels-last (not with --no-distill)
#   5. tools/analysis/benchmark_training.py, --iters iterations each with random
#      weights: the main depth config, and one config of each other task
#   6. OUT/summary.md: the machine, each step's time and status, every table
# A failed step is recorded and the next one runs; the exit status is that of
# the first failure. --quick rehearses it all at small sizes (a few minutes on
# a CPU, with --allow-cpu, which otherwise is an error: the figures are a
# GPU's). Weights are random: speed does not depend on their values.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$ROOT/work_dirs/benchmarks/gpu"
ENV_ARGS=(--venv "$ROOT/.venv")  # where tools/install.sh installs
WHEEL_ARGS=()
DO_INSTALL=1
ITERS=200
QUICK=0
TESTS=1
DISTILL=1
ALLOW_CPU=0

while [ $# -gt 0 ]; do
  case "$1" in
    --wheelhouse) WHEEL_ARGS=(--wheelhouse "$2"); shift 2 ;;
    --venv) ENV_ARGS=(--venv "$(realpath -m "$2")"); shift 2 ;;
    --current-env) ENV_ARGS=(--current-env); shift ;;
    --target) ENV_ARGS=(--target "$(realpath -m "$2")"); shift 2 ;;
    --no-install) DO_INSTALL=0; shift ;;
    --out) OUT="$2"; shift 2 ;;
    --iters) ITERS="$2"; shift 2 ;;
    --quick) QUICK=1; shift ;;
    --no-tests) TESTS=0; shift ;;
    --no-distill) DISTILL=0; shift ;;
    --allow-cpu) ALLOW_CPU=1; shift ;;
    -h|--help) sed -n '2,24p' "$0"; exit 0 ;;
    *) echo "benchmark_gpu.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
DATA="$OUT/data"
STEPS="$OUT/steps.tsv"
: > "$STEPS"
STATUS=0
START=$(date +%s)

# step NAME COMMAND...: runs it, its output in OUT/NAME.log and on the screen
step() {
  local name="$1" t0 rc
  shift
  t0=$(date +%s)
  printf '\n[benchmark_gpu +%4ss] %s: %s\n' "$(( t0 - START ))" "$name" "$*"
  "$@" 2>&1 | tee "$OUT/$name.log"
  rc=${PIPESTATUS[0]}
  printf '%s\t%s\t%s\n' "$name" "$rc" "$(( $(date +%s) - t0 ))" >> "$STEPS"
  if [ "$rc" != 0 ]; then
    echo "[benchmark_gpu] $name failed (exit $rc): see $OUT/$name.log" >&2
    [ "$STATUS" != 0 ] || STATUS=$rc
  fi
  return 0
}

# ------------------------------------------------------------- 1. install ----
if [ "$DO_INSTALL" = 1 ]; then
  # mmcv's CPU ops only: the install's variable; the GPU stays visible here
  MMXTKD_MMCV_OPS=cpu MAX_JOBS="${MAX_JOBS:-$(nproc)}" \
    step install bash "$ROOT/tools/install.sh" "${ENV_ARGS[@]}" "${WHEEL_ARGS[@]}" --editing
  [ "$STATUS" = 0 ] || { echo "[benchmark_gpu] nothing runs without the install" >&2; exit "$STATUS"; }
fi
if [ "${ENV_ARGS[0]}" = --venv ]; then
  PY="${ENV_ARGS[1]}/bin/python"
else
  PY="$(command -v python || command -v python3)"
fi
export PYTHONPATH="$ROOT${PYTHONPATH:+:$PYTHONPATH}"
# the overlay first (tools/install.sh --target)
[ "${ENV_ARGS[0]}" != --target ] || export PYTHONPATH="${ENV_ARGS[1]}:$PYTHONPATH"
cd "$ROOT"
if ! "$PY" -c 'import torch, sys; sys.exit(not torch.cuda.is_available())'; then
  if [ "$ALLOW_CPU" = 1 ]; then
    echo "[benchmark_gpu] no CUDA GPU: running on the CPU (--allow-cpu); the figures are not a GPU's"
  else
    echo "[benchmark_gpu] ERROR: $PY's torch sees no CUDA GPU (rehearse on a CPU with --quick --allow-cpu)" >&2
    exit 1
  fi
fi

# ------------------------------------------------------ 2. the GPU tests ----
[ "$TESTS" = 0 ] || step gpu_tests "$PY" -m pytest -q -p no:cacheprovider tests/test_cuda.py tests/test_mmcv_ops.py

# ------------------------------------------------------------ 3. data sets ----
if [ "$QUICK" = 1 ]; then
  SIZES=(depth "96 128" seg "96 128" colourisation "64 64" sat2map "64 64")
  COUNTS=(--train 2 --test 1 --frames 4)
else
  SIZES=(depth "480 640" seg "512 683" colourisation "256 256" sat2map "600 600")
  COUNTS=(--train 8 --test 1 --frames 10)
fi
write_data() {
  local pids=() i task rc=0
  for ((i = 0; i < ${#SIZES[@]}; i += 2)); do
    task="${SIZES[i]}"
    # shellcheck disable=SC2086  # the size is two numbers
    "$PY" tools/dataset_converters/make_synthetic.py --task "$task" \
      --out "$DATA/$task" "${COUNTS[@]}" --size ${SIZES[i + 1]} &
    pids+=($!)
  done
  for i in "${pids[@]}"; do wait "$i" || rc=$?; done
  return "$rc"
}
step data write_data

# ------------------------------------------ 4. distillation's cost, depth ----
MAIN=configs/depth/mbv2_vitb-cls-teacher_inverted.py
NO_WEIGHTS=(model.teacher.checkpoint=None model.student.backbone.init_cfg=None)
if [ "$QUICK" = 1 ]; then
  SHAPE=(--batch 2 --size 96 128 --rounds 2 --warmup 1)
  OPTIONS=(default bf16)
else
  SHAPE=(--batch 16 --size 480 480 --rounds 10 --warmup 3)
  OPTIONS=(default no_grad channels_last bf16 fp16 native bf16+channels_last)
fi
distill() {
  local name="$1"
  shift
  step "$name" "$PY" tools/analysis/benchmark_distill.py "$MAIN" "${SHAPE[@]}" \
    --out "$OUT/$name.json" "$@" --cfg-options "${NO_WEIGHTS[@]}"
}
if [ "$DISTILL" = 1 ]; then
  distill distill_fp32 --teacher-options "${OPTIONS[@]}"
  distill distill_amp --amp --teacher-options default bf16+channels_last
  distill distill_channels_last --channels-last --teacher-options default bf16+channels_last
fi

# ---------------------------------------------- 5. training, every task ----
if [ "$QUICK" = 1 ]; then
  ITERS=4
  TRAIN_EXTRA=(--skip 2 --log-interval 2)
  LOADER=(train_dataloader.batch_size=2 train_dataloader.num_workers=2)
else
  TRAIN_EXTRA=(--skip 20 --log-interval 10)
  LOADER=()
fi
train() {
  local name="$1" config="$2" data="$3"
  step "train_$name" "$PY" tools/analysis/benchmark_training.py "$config" \
    --iters "$ITERS" "${TRAIN_EXTRA[@]}" --random-weights \
    --work-dir "$OUT/runs/$name" --out "$OUT/train_$name.json" \
    --cfg-options "train_dataloader.dataset.data_root=$DATA/$data" "${LOADER[@]}"
}
train depth "$MAIN" depth
train seg configs/seg/ade20k/dlv3-r50_vitb-cls-teacher_inverted.py seg
train colourisation configs/colourisation/pix2pix_vitb-cls-teacher_inverted.py colourisation
train sat2map configs/sat2map/cyclegan_vitb-cls-teacher_inverted.py sat2map

# --------------------------------------------------------------- 6. summary ----
{
  echo "# GPU figures ($(date -u '+%Y-%m-%d %H:%M UTC'), tools/benchmark_gpu.sh$([ "$QUICK" = 1 ] && echo ' --quick'))"
  echo
  echo '```'
  nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv 2>/dev/null || echo "no nvidia-smi"
  "$PY" -c 'import torch, os; print("torch", torch.__version__, "CUDA", torch.version.cuda, "| CPU cores", os.cpu_count())'
  echo '```'
  echo
  echo '| step | exit | seconds |'
  echo '|---|---|---|'
  awk -F'\t' '{ printf "| %s | %s | %s |\n", $1, $2, $3 }' "$STEPS"
  for name in distill_fp32 distill_amp distill_channels_last; do
    [ -f "$OUT/$name.log" ] || continue
    printf '\n## %s\n\n```\n' "$name"
    sed -n '/^configs\//,$p' "$OUT/$name.log"
    echo '```'
  done
  echo
  echo '## Training'
  echo
  echo '| config | batch | it/s | img/s | median iteration (s) | data wait (s) | waiting | peak GPU memory |'
  echo '|---|---|---|---|---|---|---|---|'
  for name in depth seg colourisation sat2map; do
    [ -f "$OUT/train_$name.log" ] && grep '^| configs/' "$OUT/train_$name.log"
  done
} > "$OUT/summary.md"
printf '\n[benchmark_gpu +%4ss] done: %s\n' "$(( $(date +%s) - START ))" "$OUT/summary.md"
cat "$OUT/summary.md"
exit "$STATUS"
