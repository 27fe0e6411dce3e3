"""The documentation: every relative link of every Markdown file resolves,
the README is a landing page, and the generated API reference is current."""
import glob
import os.path as osp
import re
import runpy
import subprocess

from conftest import REPO, needs_editing

#: [text](target): the target, without a title; images too
LINK = re.compile(r'!?\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)')


def markdown_files():
    tracked = subprocess.run(
        ['git', 'ls-files', '--cached', '--others', '--exclude-standard',
         '*.md'], cwd=REPO, capture_output=True, text=True, check=True)
    return [osp.join(REPO, p) for p in tracked.stdout.split()]


def relative_links(path):
    with open(path, encoding='utf-8') as f:
        text = f.read()
    text = re.sub(r'```.*?```', '', text, flags=re.S)  # code is not links
    for target in LINK.findall(text):
        if re.match(r'[a-z]+:|#|mailto:', target):
            continue
        yield target.split('#', 1)[0]


def test_every_relative_markdown_link_resolves():
    files = markdown_files()
    assert len(files) > 20
    broken, checked = [], 0
    for path in files:
        for target in relative_links(path):
            checked += 1
            if not osp.exists(osp.join(osp.dirname(path), target)):
                broken.append(f'{osp.relpath(path, REPO)}: {target}')
    assert checked > 40
    assert not broken


def test_the_link_check_finds_a_broken_link(tmp_path):
    page = tmp_path / 'page.md'
    page.write_text('[ok](page.md) [gone](missing.md#part) '
                    '![img](pic.png) [web](https://example.org)\n'
                    '```\n[not a link](nowhere.md)\n```\n')
    assert list(relative_links(str(page))) == ['page.md', 'missing.md',
                                               'pic.png']


def test_readme_is_a_landing_page():
    with open(osp.join(REPO, 'README.md'), encoding='utf-8') as f:
        readme = f.read()
    assert len(readme.encode()) <= 8 * 1024
    for section in ('## The two commands', '## Tasks and configs',
                    '## Add it to your config', '## Documentation',
                    '## Citation', '## Licence'):
        assert section in readme
    for folder in glob.glob(osp.join(REPO, 'configs', '*', 'metafile.yml')):
        task = osp.basename(osp.dirname(folder))
        assert f'(configs/{task}/README.md)' in readme, task
    docs = {osp.relpath(p, REPO) for p in glob.glob(
        osp.join(REPO, 'docs', '**', '*.md'), recursive=True)}
    linked = set(relative_links(osp.join(REPO, 'README.md')))
    assert docs <= linked | {'docs/index.md'}, docs - linked


@needs_editing  # the reference documents the editing modules too
def test_the_api_reference_is_current(tmp_path, capsys):
    # a project registers its own modules into the package's registries:
    # they are its project's to document, not the package's reference
    import projects.fashion_study.modules  # noqa: F401
    tool = runpy.run_path(osp.join(REPO, 'tools', 'misc',
                                   'write_api_docs.py'))
    assert tool['main'](['--check']) == 0, 'docs/api.md is stale'
    stale = tmp_path / 'api.md'
    stale.write_text('old')
    assert tool['main'](['--check', '--out', str(stale)]) == 1
    assert 'is stale' in capsys.readouterr().out
    from mmxtkd.registry import HOOKS, MODELS
    with open(osp.join(REPO, 'docs', 'api.md'), encoding='utf-8') as f:
        api = f.read()
    for registry in (MODELS, HOOKS):
        for name, obj in registry.module_dict.items():
            ours = obj.__module__.startswith('mmxtkd')
            assert (f'| `{name}` |' in api) == ours, name


def test_the_composition_example_is_the_real_config():
    """The config quoted in docs/user_guides/configs.md is the file it
    names, comments aside."""
    with open(osp.join(REPO, 'docs', 'user_guides', 'configs.md'),
              encoding='utf-8') as f:
        guide = f.read()
    name = 'configs/depth/mbv2_vitb-cls-teacher_inverted.py'
    quoted = guide.split(f'# {name}\n', 1)[1].split('```', 1)[0]
    with open(osp.join(REPO, name)) as f:
        real = ''.join(line for line in f if not line.startswith('#'))
    assert quoted == real
