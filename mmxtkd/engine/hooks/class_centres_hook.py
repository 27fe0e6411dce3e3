"""The teacher's class means over the training set, for REFILLED's stage 2
with ``ClassMeanKDLoss(centres='dataset')``."""
import torch
from mmengine.dist import all_reduce
from mmengine.hooks import Hook
from mmengine.logging import print_log
from mmengine.model import is_model_wrapper

from mmxtkd.models.losses.refilled import ClassMeanKDLoss, pooled_embedding
from mmxtkd.registry import HOOKS


@HOOKS.register_module()
class TeacherClassCentresHook(Hook):
    """Before training, one pass of the frozen teacher over the training
    loader: each class's mean teacher embedding (pooled, as the loss sees
    it), put in every
    ``ClassMeanKDLoss(centres='dataset')`` of the model (saved with the
    checkpoints, so a resumed run does not compute them again). Distributed
    runs sum over every process's share. A class without a training sample
    is an error naming it.
    """

    priority = 'VERY_HIGH'

    def before_train(self, runner) -> None:
        model = runner.model.module if is_model_wrapper(
            runner.model) else runner.model
        # pair -> its losses waiting for centres
        waiting = {}
        for pair_name, pair in model.distill.named_pairs():
            losses = [m for m in pair.modules()
                      if isinstance(m, ClassMeanKDLoss)
                      and m.centres == 'dataset'
                      and m.class_centres.numel() == 0]
            if losses:
                waiting[pair_name] = losses
        if not waiting:
            return
        sums, counts = {}, {}
        with torch.no_grad():
            for batch in runner.train_dataloader:
                data = model.data_preprocessor(batch, training=False)
                maps = model.distill.teacher_maps(data['inputs'],
                                                  list(waiting))
                for pair_name, losses in waiting.items():
                    emb = pooled_embedding(maps[pair_name],
                                           'TeacherClassCentresHook')
                    labels = model.batch_labels(data['data_samples'],
                                                emb.device)
                    if pair_name not in sums:
                        sums[pair_name] = emb.new_zeros(losses[0].num_classes,
                                                        emb.shape[1])
                        counts[pair_name] = emb.new_zeros(
                            losses[0].num_classes)
                    sums[pair_name].index_add_(0, labels, emb)
                    counts[pair_name] += torch.bincount(
                        labels, minlength=losses[0].num_classes).to(
                            counts[pair_name])
        if not sums:
            raise ValueError('TeacherClassCentresHook: the training loader '
                             'gave no batch')
        for pair_name, losses in waiting.items():
            all_reduce(sums[pair_name])
            all_reduce(counts[pair_name])
            count = counts[pair_name]
            empty = (count == 0).nonzero().flatten().tolist()
            if empty:
                raise ValueError(f'TeacherClassCentresHook: classes {empty} '
                                 'have no training sample, so no centre')
            centres = sums[pair_name] / count[:, None]
            for loss in losses:
                loss.class_centres = centres.clone()
            of = f' of {pair_name}' if pair_name else ''
            print_log(f'teacher class centres{of}: {len(count)} classes '
                      f'from {int(count.sum())} training samples',
                      logger='current')
