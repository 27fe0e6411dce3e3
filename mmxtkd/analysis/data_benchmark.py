"""What a config's training pipeline costs per image, beside decoding alone."""
import copy
import math
import random
import time
from typing import Dict, List, Sequence

import numpy as np
from mmengine.registry import DATASETS, DefaultScope


def loading_prefix(pipeline: Sequence[dict]) -> List[dict]:
    """The pipeline's leading ``Load*`` transforms (any scope): reading and
    decoding the sample's files, the floor under the whole pipeline."""
    prefix = []
    for transform in pipeline:
        if not str(transform['type']).split('.')[-1].startswith('Load'):
            break
        prefix.append(transform)
    if not prefix:
        raise ValueError('the pipeline does not start with a Load* transform: '
                         'nothing to take as its decode floor')
    return prefix


def per_image_seconds(dataset, indices: Sequence[int]) -> float:
    """Median seconds of ``dataset[i]`` over ``indices`` (after one warm-up
    sample), in this process: one data-loader worker's cost."""
    dataset[indices[0]]
    times = []
    for i in indices:
        start = time.perf_counter()
        dataset[i]
        times.append(time.perf_counter() - start)
    times.sort()
    return times[len(times) // 2]


def pipeline_costs(dataset_cfg: dict, scope: str, samples: int,
                   seed: int = 0) -> Dict[str, float]:
    """Images per second per worker of the full pipeline and of its
    decode floor (:func:`loading_prefix`) on the same ``samples`` images
    (spread over the data set), and the ratio of their times."""
    full_cfg = copy.deepcopy(dict(dataset_cfg))
    floor_cfg = copy.deepcopy(full_cfg)
    floor_cfg['pipeline'] = loading_prefix(full_cfg['pipeline'])
    with DefaultScope.overwrite_default_scope(scope):
        full, floor = DATASETS.build(full_cfg), DATASETS.build(floor_cfg)
    if len(full) == 0:
        raise ValueError('the training data set is empty')
    rng = random.Random(seed)
    indices = [rng.randrange(len(full)) for _ in range(samples)]
    np.random.seed(seed)  # the augmentations' own draws
    random.seed(seed)
    t_full = per_image_seconds(full, indices)
    t_floor = per_image_seconds(floor, indices)
    return dict(images_per_s=1 / t_full, decode_images_per_s=1 / t_floor,
                ratio=t_full / t_floor)


def workers_needed(images_per_s_per_worker: float, steps_per_s: float,
                   batch_size: int) -> int:
    """Data-loader workers that deliver ``batch_size`` images per step at
    ``steps_per_s`` steps a second, each giving ``images_per_s_per_worker``."""
    return max(1, math.ceil(steps_per_s * batch_size /
                            images_per_s_per_worker))
