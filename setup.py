"""mmxtkd: cross-task knowledge distillation with an inverted projector."""
from setuptools import find_packages, setup


def get_version() -> str:
    scope: dict = {}
    with open('mmxtkd/version.py') as f:
        exec(f.read(), scope)
    return scope['__version__']


setup(
    name='mmxtkd',
    version=get_version(),
    description='Cross-task knowledge distillation with an inverted projector '
    '(OpenMMLab extension)',
    long_description=open('README.md').read(),
    long_description_content_type='text/markdown',
    packages=find_packages(exclude=('tests', 'configs', 'tools')),
    python_requires='>=3.8',
    license='Apache License 2.0',
    # The OpenMMLab stack (and mmcv's compiled ops) is installed by
    # tools/install.sh from requirements/; see README.md.
    install_requires=[],
    zip_safe=False,
)
