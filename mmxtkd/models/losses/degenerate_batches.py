"""Batches on which a loss that relates samples has nothing to relate.

REFILLED's triplet loss needs two samples of a class and one of another;
its class-mean loss needs two classes. On a batch without them the loss is
0, which is right for an occasional batch (an epoch's short last one) and
silently wrong for a whole run (batch size 1, a sampler that does not
shuffle a data set sorted by class). :class:`DegenerateBatches` tells them
apart: a first batch smaller than the loss can ever use is an error; every
degenerate batch is counted, and when a new epoch starts the count of the
last is logged, or, if every batch of it was degenerate, an error names
the loss, the batch size and the sampler.
"""
import logging
from typing import Optional

from mmengine.logging import MessageHub, print_log

from mmxtkd.utils.config_literals import read_literal_assignments


def _configured_sampler() -> Optional[object]:
    """``train_dataloader.sampler`` of the running config, which mmengine's
    RuntimeInfoHook keeps in the message hub as text (read as data)."""
    text = MessageHub.get_current_instance().get_info('cfg')
    if not isinstance(text, str):
        return None
    loader = read_literal_assignments(text, ['train_dataloader']).get(
        'train_dataloader')
    return loader.get('sampler') if isinstance(loader, dict) else None


class DegenerateBatches:
    """Counts, per epoch, the batches on which the loss ``loss`` was 0 for
    want of ``needs`` (e.g. 'two samples of a class and one of another'),
    which takes at least ``minimum`` samples."""

    def __init__(self, loss: str, needs: str, minimum: int) -> None:
        self.loss, self.needs, self.minimum = loss, needs, minimum
        self.first = True
        self.epoch: Optional[int] = None
        self.batches = self.degenerate = self.rows = 0

    def record(self, rows: int, degenerate: bool) -> None:
        """Count one batch of ``rows`` samples (the global batch). The first
        batch raises when it is too small for the loss ever to be non-zero;
        a batch of a new epoch closes the last epoch's count."""
        if self.first:
            self.first = False
            if rows < self.minimum:
                raise ValueError(
                    f'{self.loss} needs {self.needs} in a batch, so at least '
                    f'{self.minimum} samples, but the batch has {rows}: the '
                    'loss would be 0 at every step. Raise '
                    'train_dataloader.batch_size.')
        epoch = MessageHub.get_current_instance().get_info('epoch')
        if epoch != self.epoch:
            self._close_epoch()
            self.epoch = epoch
        self.batches += 1
        self.degenerate += bool(degenerate)
        self.rows = rows

    def _close_epoch(self) -> None:
        batches, degenerate = self.batches, self.degenerate
        self.batches = self.degenerate = 0
        if not degenerate:
            return
        if degenerate == batches:
            raise RuntimeError(
                f'{self.loss} was 0 on all {batches} batches of epoch '
                f'{self.epoch} (batches of {self.rows} samples, '
                f'train_dataloader.sampler = {_configured_sampler()}): no '
                f'batch had {self.needs}. Shuffle the data (e.g. '
                "dict(type='DefaultSampler', shuffle=True)) or raise the "
                'batch size.')
        print_log(f'{self.loss}: {degenerate} of {batches} batches of epoch '
                  f'{self.epoch} had no {self.needs}; the loss was 0 on '
                  'them', logger='current', level=logging.WARNING)
