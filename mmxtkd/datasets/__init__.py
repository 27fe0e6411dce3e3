"""Data sets (NYUv2 in the AiT / BTS layout, COCO as 80-class semantic
segmentation), their synthetic stand-ins (the translation tasks' too),
checked label loading, colourisation inputs made in the pipeline, seeded
albumentations, mmseg's augmentations computed faster, REFILLED's
class-split CUB, offline CIFAR-100, real digits and Fashion-MNIST cut by
classes, and segmentation scenes composed of Fashion-MNIST's photographs.
The translation data sets on mmagic are ``mmxtkd.datasets.editing`` (the
``editing`` extra)."""
from .checked_cifar import CheckedCIFAR100
from .coco_semantic80 import COCOSemantic80Dataset, instances_to_label_maps
from .colourisation import GrayscaleCopy
from .cub_class_split import CUBClassSplit
from .depth_annotations import LoadCheckedDepthAnnotation
from .digits_class_split import make_digits_class_split
from .fashion_mnist import FashionMNIST
from .fashion_scenes import FashionScenes
from .nyu_depth_v2 import NYUDepthV2Dataset
from .seeded_albu import SeededAlbu
from .seg_annotations import LoadCheckedSegAnnotations
from .seg_augmentations import HistogramRandomCrop, LookupPhotoMetricDistortion
from .synthetic_colourisation import make_synthetic_colourisation
from .synthetic_depth import make_synthetic_nyu
from .synthetic_sat2map import make_synthetic_sat2map
from .synthetic_seg import (SYNTHETIC_SEG_CLASSES, SYNTHETIC_TEXTURE_CLASSES,
                            make_synthetic_ade)

__all__ = [
    'NYUDepthV2Dataset', 'COCOSemantic80Dataset', 'LoadCheckedSegAnnotations',
    'instances_to_label_maps', 'make_synthetic_nyu', 'make_synthetic_ade',
    'SYNTHETIC_SEG_CLASSES', 'SYNTHETIC_TEXTURE_CLASSES', 'GrayscaleCopy',
    'make_synthetic_colourisation', 'make_synthetic_sat2map', 'SeededAlbu',
    'LoadCheckedDepthAnnotation',
    'LookupPhotoMetricDistortion', 'HistogramRandomCrop', 'CUBClassSplit',
    'CheckedCIFAR100', 'make_digits_class_split', 'FashionMNIST',
    'FashionScenes'
]
