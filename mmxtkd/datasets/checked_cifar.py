"""CIFAR-100 read from its python pickles, with errors that say what to do
on a machine without internet."""
import os.path as osp

from mmpretrain.datasets import CIFAR100

from mmxtkd.registry import DATASETS


@DATASETS.register_module()
class CheckedCIFAR100(CIFAR100):
    """mmpretrain's ``CIFAR100`` (``data_root/cifar-100-python/{train,test,
    meta}``), not downloading by default (compute nodes are offline): a
    missing or altered file is an error naming the folder and the archive
    to fetch. ``check_md5=False`` reads files of the same format that are
    not the published ones (a subset, or the tests' own).
    """

    def __init__(self, *args, check_md5: bool = True,
                 download: bool = False, **kwargs) -> None:
        if not check_md5:
            self.train_list = [[name, None] for name, _ in self.train_list]
            self.test_list = [[name, None] for name, _ in self.test_list]
            self.meta = dict(self.meta, md5=None)
        self.check_md5 = check_md5
        super().__init__(*args, download=download, **kwargs)

    def load_data_list(self) -> list:
        if not self.download and not self._check_integrity():
            checked = ' and their md5 sums' if self.check_md5 else ''
            root = self.data_prefix['root'] or '.'
            raise FileNotFoundError(
                f'CIFAR-100 is not in {osp.join(root, self.base_folder)} '
                f'(train, test, meta{checked}): download {self.url} and '
                f'extract it into {root}, or pass download=True on a machine '
                'with internet')
        return super().load_data_list()
