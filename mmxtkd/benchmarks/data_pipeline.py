"""What a config's training pipeline costs per image, transform by
transform, beside decoding alone."""
import copy
import math
import random
import time
from typing import Dict, List, Sequence, Tuple

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


def transform_seconds(dataset, indices: Sequence[int]) -> List[float]:
    """Mean seconds of each of ``dataset.pipeline``'s transforms per sample,
    over ``indices`` (after one warm-up sample), in this process: one
    data-loader worker's cost. The mean, not the median: a transform that
    runs on a fraction of the samples costs that fraction of its time."""
    transforms = dataset.pipeline.transforms
    totals = [0.0] * len(transforms)
    for n, i in enumerate([indices[0]] + list(indices)):
        results = dataset.get_data_info(i)
        for k, transform in enumerate(transforms):
            start = time.perf_counter()
            results = transform(results)
            if n:  # the first pass warms the caches up
                totals[k] += time.perf_counter() - start
            if results is None:
                raise ValueError(f'{type(transform).__name__} dropped sample '
                                 f'{i}: the timings would skip transforms')
    return [t / len(indices) for t in totals]


def pipeline_costs(dataset_cfg: dict, scope: str, samples: int,
                   seed: int = 0) -> Dict:
    """Per image, on ``samples`` images spread over the data set: each
    transform's mean seconds (``transforms``: (type, seconds) in pipeline
    order), images per second per worker of the whole pipeline and of its
    decode floor (:func:`loading_prefix`), and the ratio of their times."""
    cfg = copy.deepcopy(dict(dataset_cfg))
    floor = len(loading_prefix(cfg['pipeline']))
    with DefaultScope.overwrite_default_scope(scope):
        dataset = DATASETS.build(cfg)
    if len(dataset) == 0:
        raise ValueError('the training data set is empty')
    rng = random.Random(seed)
    indices = [rng.randrange(len(dataset)) for _ in range(samples)]
    np.random.seed(seed)  # the augmentations' own draws
    random.seed(seed)
    seconds = transform_seconds(dataset, indices)
    names: List[Tuple[str, float]] = [
        (str(t['type']), s) for t, s in zip(cfg['pipeline'], seconds)]
    t_full, t_floor = sum(seconds), sum(seconds[:floor])
    return dict(transforms=names, images_per_s=1 / t_full,
                decode_images_per_s=1 / t_floor, ratio=t_full / t_floor)


def workers_needed(images_per_s_per_worker: float, steps_per_s: float,
                   batch_size: int) -> int:
    """Data-loader workers that deliver ``batch_size`` images per step at
    ``steps_per_s`` steps a second, each giving ``images_per_s_per_worker``."""
    return max(1, math.ceil(steps_per_s * batch_size /
                            images_per_s_per_worker))
