#!/usr/bin/env bash
# bash tools/dist_train.sh CONFIG NUM_PROCESSES [train.py options]
# One process per GPU; on a machine without GPUs, CPU processes over gloo.
# Keep the config's total batch: e.g. the depth configs (1xb16) on 8 GPUs,
#   bash tools/dist_train.sh CONFIG 8 --cfg-options train_dataloader.batch_size=2
# (or --auto-scale-lr for another total). The configs' sync_bn='torch'
# synchronises BatchNorm over the GPUs, and the batch-relational losses
# (PKT, relational triplets, spectral) see the global batch, so the run
# computes what one GPU with the whole batch would; on CPU processes BN
# stays per process (torch's SyncBN needs GPUs).
CONFIG=$1
GPUS=$2
NNODES=${NNODES:-1}
NODE_RANK=${NODE_RANK:-0}
PORT=${PORT:-29500}
MASTER_ADDR=${MASTER_ADDR:-"127.0.0.1"}

PYTHONPATH="$(dirname $0)/..":$PYTHONPATH \
python -m torch.distributed.run \
    --nnodes=$NNODES \
    --node_rank=$NODE_RANK \
    --master_addr=$MASTER_ADDR \
    --nproc_per_node=$GPUS \
    --master_port=$PORT \
    $(dirname "$0")/train.py \
    $CONFIG \
    --launcher pytorch ${@:3}
