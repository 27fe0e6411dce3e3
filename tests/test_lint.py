"""The lint the repository passes (ruff.toml: pycodestyle and pyflakes at
79 columns; setup.cfg: isort's OpenMMLab import order), run by the test
command so that a change that breaks it fails the suite."""
import subprocess
import sys

from conftest import REPO


def run(*command: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, '-m', *command], cwd=REPO,
                          capture_output=True, text=True)


def test_ruff_passes():
    result = run('ruff', 'check', '--no-cache', '.')
    assert result.returncode == 0, result.stdout + result.stderr


def test_imports_are_sorted():
    result = run('isort', '--check-only', '--diff', '.')
    assert result.returncode == 0, result.stdout + result.stderr
