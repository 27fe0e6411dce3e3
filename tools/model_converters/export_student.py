"""Export the student of a distilled checkpoint for its own package's tools.

    python tools/model_converters/export_student.py CONFIG CKPT OUT \
        [--out-config OUT_CONFIG] [--cfg-options key=value ...]

CONFIG is the distilled run's config, CKPT its checkpoint. OUT gets the
student's weights with the keys of the plain student model (no teacher, no
projector); OUT_CONFIG (default: OUT with ``.py``) the run's config with the
plain student as its ``model`` (mmseg's ``DepthEstimator`` or
``EncoderDecoder``, mmpretrain's classifier, mmagic's ``Pix2Pix`` or
``CycleGAN``), which loads OUT strictly: with mmseg's ``init_model``, or as
``load_from`` of mmseg's / mmpretrain's / mmagic's own ``tools/test.py``
(the config still imports mmxtkd where the student uses its parts, e.g. the
depth decoders). The teacher is not built and its weights are not needed.
"""
import argparse
import os
import os.path as osp

from mmengine.config import Config, DictAction
from mmengine.registry import MODELS as ROOT_MODELS
from mmengine.runner import load_checkpoint

import mmxtkd  # noqa: F401  (mmxtkd:: configs, checkpoint types)
from mmxtkd.apis.run_checkpoint import check_test_fits
from mmxtkd.models.distillation import without_distillation
from mmxtkd.models.distillers import save_student_checkpoint
from mmxtkd.registry import build_in_own_scope


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('config', help="the distilled run's config")
    parser.add_argument('checkpoint', help='its checkpoint')
    parser.add_argument('out', help='the student checkpoint to write')
    parser.add_argument('--out-config',
                        help='the plain student config to write '
                        '(default: OUT with .py)')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction,
                        help='override settings of the config, as train.py')
    args = parser.parse_args(argv)

    cfg = Config.fromfile(args.config)
    if args.cfg_options:
        cfg.merge_from_dict(args.cfg_options)
    model_cfg = without_distillation(cfg.model)
    model_cfg.setdefault('_scope_', cfg.get('default_scope'))
    model = build_in_own_scope(ROOT_MODELS, model_cfg)
    if not hasattr(model, 'plain_student_config'):
        raise SystemExit(f'{args.config}: the model {type(model).__name__} '
                         'is not an mmxtkd distiller (CrossTaskDistiller, '
                         'DistillPix2Pix, DistillCycleGAN); its checkpoint '
                         'needs no export')
    check_test_fits(model, args.checkpoint)
    ckpt = load_checkpoint(model, args.checkpoint, map_location='cpu',
                           strict=False, logger='silent')

    os.makedirs(osp.dirname(osp.abspath(args.out)), exist_ok=True)
    meta = dict(ckpt.get('meta', {}), exported_from=args.checkpoint)
    meta.pop('cfg',
             None)  # the distiller's config; OUT_CONFIG is the plain one
    save_student_checkpoint(model, args.out, meta)

    out_config = args.out_config or osp.splitext(args.out)[0] + '.py'
    cfg.model = type(model).plain_student_config(cfg.model)
    cfg.load_from = osp.abspath(args.out)
    cfg.dump(out_config)
    print(f'student of {args.checkpoint}: {args.out} '
          f'({len(model.student_state_dict())} tensors); its config: '
          f'{out_config}')


if __name__ == '__main__':
    main()
