#!/usr/bin/env bash
# bash tools/refilled_two_stage.sh STAGE1_CONFIG STAGE2_CONFIG NUM_PROCESSES [train.py options]
# REFILLED's two stages, one after the other, each with dist_train.sh:
# stage 1 into WORK_ROOT/stage1, then stage 2 into WORK_ROOT/stage2, its
# student initialised from stage 1's last checkpoint (the stage-2 config's
# model.student.init_cfg, pointed at it; the teacher is in neither
# checkpoint). WORK_ROOT defaults to
# work_dirs/<stage-2 config path under configs/>. The options (e.g.
# --cfg-options randomness.seed=1, --auto-scale-lr) go to both stages. A
# failed stage stops the script; run it again with --resume to continue:
# a finished stage 1 resumes at its end (nothing to train), an unfinished
# one where it stopped, and stage 2 likewise from its own checkpoint.
set -e
STAGE1=$1
STAGE2=$2
GPUS=$3
NAME=$(PYTHONPATH="$(dirname "$0")/..":$PYTHONPATH python -c \
    'import sys; from mmxtkd.apis.launch import config_name; print(config_name(sys.argv[1]))' \
    "$STAGE2")
WORK_ROOT=${WORK_ROOT:-work_dirs/$NAME}
last_checkpoint() {  # mmengine's record of a run's newest checkpoint
    if [ -f "$1/last_checkpoint" ]; then cat "$1/last_checkpoint"; fi
}
echo "== REFILLED stage 1: $STAGE1 -> $WORK_ROOT/stage1"
bash "$(dirname "$0")/dist_train.sh" "$STAGE1" "$GPUS" \
    --work-dir "$WORK_ROOT/stage1" "${@:4}"
FROM=$(last_checkpoint "$WORK_ROOT/stage1")
[ -n "$FROM" ] || { echo "stage 1 left no checkpoint in $WORK_ROOT/stage1" >&2; exit 1; }
echo "== REFILLED stage 2: $STAGE2, the student from $FROM -> $WORK_ROOT/stage2"
bash "$(dirname "$0")/dist_train.sh" "$STAGE2" "$GPUS" \
    --work-dir "$WORK_ROOT/stage2" "${@:4}" \
    --cfg-options model.student.init_cfg.checkpoint="$FROM"
