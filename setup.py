"""mmxtkd: cross-task knowledge distillation with an inverted projector."""
import os
import os.path as osp
import shutil
import sys
from setuptools import find_packages, setup

ROOT = osp.dirname(osp.abspath(__file__))
#: shipped with the package as OpenMMLab packages ship theirs, so that
#: ``_base_ = 'mmxtkd::depth/<config>.py'`` resolves (mmengine reads
#: ``<package>/.mim/model-index.yml``, then ``<package>/.mim/configs``)
MIM_FILES = ('configs', 'tools', 'model-index.yml')


def get_version() -> str:
    scope: dict = {}
    with open(osp.join(ROOT, 'mmxtkd', 'version.py')) as f:
        exec(f.read(), scope)
    return scope['__version__']


def parse_requirements(name: str) -> list:
    """The requirement lines of ``requirements/<name>.txt``, comments and
    blank lines left out."""
    with open(osp.join(ROOT, 'requirements', name + '.txt')) as f:
        lines = (line.split('#', 1)[0].strip() for line in f)
        return [line for line in lines if line]


def add_mim_extension(editable: bool) -> None:
    """``mmxtkd/.mim/<MIM_FILES>``: links to the checkout's for an editable
    install (and for the checkout on ``PYTHONPATH``: tools/install.sh
    --target), copies for a wheel or sdist."""
    mim = osp.join(ROOT, 'mmxtkd', '.mim')
    os.makedirs(mim, exist_ok=True)
    for name in MIM_FILES:
        target = osp.join(mim, name)
        if osp.islink(target) or osp.isfile(target):
            os.remove(target)
        elif osp.isdir(target):
            shutil.rmtree(target)
        if editable:
            os.symlink(osp.join('..', '..', name), target)
        elif osp.isdir(osp.join(ROOT, name)):
            shutil.copytree(osp.join(ROOT, name), target)
        else:
            shutil.copy(osp.join(ROOT, name), target)


if __name__ == '__main__':
    if any(cmd in sys.argv for cmd in ('develop', 'editable_wheel')):
        add_mim_extension(editable=True)
    elif any(cmd in sys.argv for cmd in ('install', 'bdist_wheel', 'sdist')):
        add_mim_extension(editable=False)
    setup(
        name='mmxtkd',
        version=get_version(),
        description='Cross-task knowledge distillation with an inverted '
        'projector (OpenMMLab extension)',
        long_description=open(osp.join(ROOT, 'README.md')).read(),
        long_description_content_type='text/markdown',
        packages=find_packages(exclude=('tests', 'configs', 'tools')),
        include_package_data=True,
        package_data={
            'mmxtkd':
            ['.mim/configs/**/*', '.mim/tools/**/*', '.mim/model-index.yml']
        },
        python_requires='>=3.8',
        license='Apache License 2.0',
        # As OpenMMLab packages declare theirs: run-time ranges here, the
        # OpenMMLab packages for mim (mmcv's compiled ops need its wheels or
        # tools/install.sh). The tested versions: requirements/constraints.txt.
        install_requires=parse_requirements('runtime'),
        extras_require={
            'mim': parse_requirements('mminstall'),
            'tests': parse_requirements('tests'),
            'docs': parse_requirements('docs'),
            # the image-translation part (mmxtkd.*.editing): mmagic
            'editing': parse_requirements('editing') +
            parse_requirements('editing_mminstall'),
        },
        zip_safe=False,
    )
