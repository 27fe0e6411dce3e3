#!/usr/bin/env bash
# bash tools/refilled_two_stage.sh STAGE1_CONFIG STAGE2_CONFIG NUM_PROCESSES [train.py options]
# REFILLED's two stages, one after the other, each with dist_train.sh:
# stage 1 into WORK_ROOT/stage1, then stage 2 into WORK_ROOT/stage2 from
# stage 1's last checkpoint (its student's weights: load_from; the teacher
# is in neither checkpoint). WORK_ROOT defaults to
# work_dirs/<stage-2 config path under configs/>. The options (e.g.
# --cfg-options randomness.seed=1, --auto-scale-lr) go to both stages. A
# failed stage stops the script; --resume continues an unfinished stage
# (stage 2 skips a finished stage 1).
set -e
STAGE1=$1
STAGE2=$2
GPUS=$3
NAME=$(PYTHONPATH="$(dirname "$0")/..":$PYTHONPATH python -c \
    'import sys; from mmxtkd.utils.launch import config_name; print(config_name(sys.argv[1]))' \
    "$STAGE2")
WORK_ROOT=${WORK_ROOT:-work_dirs/$NAME}
last_checkpoint() {  # mmengine's record of a run's newest checkpoint
    [ -f "$1/last_checkpoint" ] && cat "$1/last_checkpoint"
}
MAX_EPOCHS=$(PYTHONPATH="$(dirname "$0")/..":$PYTHONPATH python -c \
    'import sys; from mmengine.config import Config; print(Config.fromfile(sys.argv[1]).train_cfg.max_epochs)' \
    "$STAGE1")
if [[ "$(last_checkpoint "$WORK_ROOT/stage1")" == */epoch_$MAX_EPOCHS.pth ]]; then
    echo "== stage 1 finished before: $(last_checkpoint "$WORK_ROOT/stage1")"
else
    echo "== REFILLED stage 1: $STAGE1 -> $WORK_ROOT/stage1"
    bash "$(dirname "$0")/dist_train.sh" "$STAGE1" "$GPUS" \
        --work-dir "$WORK_ROOT/stage1" "${@:4}"
fi
FROM=$(last_checkpoint "$WORK_ROOT/stage1")
[ -n "$FROM" ] || { echo "stage 1 left no checkpoint in $WORK_ROOT/stage1" >&2; exit 1; }
START=(--cfg-options load_from="$FROM")
if [[ " ${*:4} " == *" --resume "* ]] && [ -n "$(last_checkpoint "$WORK_ROOT/stage2")" ]; then
    START=()  # --resume continues stage 2 from its own checkpoint
fi
echo "== REFILLED stage 2: $STAGE2 from $FROM -> $WORK_ROOT/stage2"
bash "$(dirname "$0")/dist_train.sh" "$STAGE2" "$GPUS" \
    --work-dir "$WORK_ROOT/stage2" "${@:4}" "${START[@]}"
