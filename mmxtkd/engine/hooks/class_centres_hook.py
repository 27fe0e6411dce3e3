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
    loader: each class's mean teacher embedding (pooled, as the loss sees it), put in every
    ``ClassMeanKDLoss(centres='dataset')`` of the model (saved with the
    checkpoints, so a resumed run does not compute them again). Distributed
    runs sum over every process's share. A class without a training sample
    is an error naming it.
    """

    priority = 'VERY_HIGH'

    def before_train(self, runner) -> None:
        model = runner.model.module if is_model_wrapper(
            runner.model) else runner.model
        losses = [m for m in model.modules()
                  if isinstance(m, ClassMeanKDLoss) and m.centres == 'dataset'
                  and m.class_centres.numel() == 0]
        if not losses:
            return
        teacher = model.distill.teacher
        num_classes = losses[0].num_classes
        sums, counts = None, None
        with torch.no_grad():
            for batch in runner.train_dataloader:
                data = model.data_preprocessor(batch, training=False)
                emb = pooled_embedding(teacher(data['inputs']),
                                     'TeacherClassCentresHook')
                labels = model.batch_labels(data['data_samples'], emb.device)
                if sums is None:
                    sums = emb.new_zeros(num_classes, emb.shape[1])
                    counts = emb.new_zeros(num_classes)
                sums.index_add_(0, labels, emb)
                counts += torch.bincount(labels, minlength=num_classes).to(
                    counts)
        if sums is None:
            raise ValueError('TeacherClassCentresHook: the training loader '
                             'gave no batch')
        all_reduce(sums)
        all_reduce(counts)
        empty = (counts == 0).nonzero().flatten().tolist()
        if empty:
            raise ValueError(f'TeacherClassCentresHook: classes {empty} have '
                             'no training sample, so no centre')
        centres = sums / counts[:, None]
        for loss in losses:
            loss.class_centres = centres.clone()
        print_log(f'teacher class centres: {num_classes} classes from '
                  f'{int(counts.sum())} training samples', logger='current')
