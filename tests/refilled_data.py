"""Small trees in the layouts REFILLED's data sets are distributed in,
written by the tests: CUB_200_2011 and CIFAR-100's python pickles."""
import os
import os.path as osp
import pickle

import cv2
import numpy as np


def write_cub_tree(root: str, classes: int = 200, train: int = 2,
                   test: int = 1, size: int = 24) -> str:
    """CUB_200_2011's files for ``classes`` species, ``train`` + ``test``
    images each (ids numbered as CUB numbers them)."""
    rng = np.random.default_rng(0)
    images, labels, split = [], [], []
    for c in range(1, classes + 1):
        folder = f'{c:03d}.Species_{c}'
        os.makedirs(osp.join(root, 'images', folder), exist_ok=True)
        for n in range(train + test):
            name = f'{folder}/Species_{c}_{n:04d}.jpg'
            img = rng.integers(0, 256, (size, size, 3), dtype=np.uint8)
            img[..., c % 3] = 40 + c  # a colour per class
            cv2.imwrite(osp.join(root, 'images', name), img)
            images.append(name)
            labels.append(c)
            split.append(1 if n < train else 0)
    for filename, column in (('images.txt', images),
                             ('image_class_labels.txt', labels),
                             ('train_test_split.txt', split)):
        with open(osp.join(root, filename), 'w') as f:
            f.writelines(f'{i} {v}\n' for i, v in enumerate(column, 1))
    return root


def write_cifar100_tree(root: str, train: int = 200, test: int = 100) -> str:
    """``root/cifar-100-python/{train,test,meta}`` as the archive holds
    them (pickled dicts of uint8 rows and fine labels), of random images."""
    rng = np.random.default_rng(0)
    folder = osp.join(root, 'cifar-100-python')
    os.makedirs(folder, exist_ok=True)
    for name, n in (('train', train), ('test', test)):
        labels = [i % 100 for i in range(n)]
        data = rng.integers(0, 256, (n, 3 * 32 * 32), dtype=np.uint8)
        with open(osp.join(folder, name), 'wb') as f:
            pickle.dump({'data': data, 'fine_labels': labels,
                         'coarse_labels': [c // 5 for c in labels]}, f)
    with open(osp.join(folder, 'meta'), 'wb') as f:
        pickle.dump({'fine_label_names': [f'class_{i}' for i in range(100)],
                     'coarse_label_names': [f'super_{i}' for i in range(20)]},
                    f)
    return root
