#!/usr/bin/env bash
# bash tools/dist_seeds.sh CONFIG SEEDS NUM_PROCESSES [train.py options]
# Train CONFIG once per seed 0 .. SEEDS-1, one run after another, each with
# dist_train.sh into its own work dir, $WORK_ROOT/seed<k> (WORK_ROOT defaults
# to work_dirs/<config path under configs/>); then
#   python tools/analysis/collect_results.py $WORK_ROOT
# prints mean ± std over the seeds. A run that fails stops the loop; run the
# same command with --resume to continue each unfinished seed.
set -e
CONFIG=$1
SEEDS=$2
GPUS=$3
# the config's path under configs/, as tools/train.py names work dirs
NAME=$(PYTHONPATH="$(dirname "$0")/..":$PYTHONPATH python -c \
    'import sys; from mmxtkd.apis.launch import config_name; print(config_name(sys.argv[1]))' \
    "$CONFIG")
WORK_ROOT=${WORK_ROOT:-work_dirs/$NAME}
for ((SEED = 0; SEED < SEEDS; SEED++)); do
    echo "== $NAME, seed $SEED of 0..$((SEEDS - 1)): $WORK_ROOT/seed$SEED"
    bash "$(dirname "$0")/dist_train.sh" "$CONFIG" "$GPUS" \
        --work-dir "$WORK_ROOT/seed$SEED" "${@:4}" \
        --cfg-options randomness.seed=$SEED
done
