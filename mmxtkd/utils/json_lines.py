"""Reading the JSON-lines files runs append to (mmengine's scalars.json,
SpectralRankHook's spectral_history.jsonl)."""
import json
import logging
from typing import List

from mmengine.logging import print_log


def read_json_lines(path: str, drop_torn_tail: bool = False) -> List[dict]:
    """The records of a JSON-lines file, blank lines skipped. A line that is
    not JSON is an error naming ``path:line``; with ``drop_torn_tail``, a
    last line that is not (a process killed while writing it) is dropped
    with a warning instead."""
    with open(path) as f:
        lines = [(n, line) for n, line in enumerate(f, 1) if line.strip()]
    records = []
    for i, (number, line) in enumerate(lines):
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError as err:
            if drop_torn_tail and i == len(lines) - 1:
                print_log(f'{path}:{number} is cut short (a run killed while '
                          'writing it?); dropped', logger='current',
                          level=logging.WARNING)
                break
            raise ValueError(
                f'{path}:{number} is not a JSON line ({err})') from err
    return records
