"""The pre-commit hook, run for real with ``pre-commit try-repo`` in a scratch repository."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .helpers import git, write_tree
from django_heroku_lint.rules._baseline import project_files

REPO = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.skipif(not (REPO / ".git").exists(), reason="try-repo needs the project's git checkout")


def pre_commit(cwd: Path, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    executable = shutil.which("pre-commit", path=os.path.dirname(sys.executable)) or shutil.which("pre-commit")
    assert executable, "pre-commit is a test dependency"
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "NO_COLOR": "1"}
    return subprocess.run([executable, *args], cwd=cwd, capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL, timeout=600)


def test_hook_fails_on_hazards_and_passes_when_clean(tmp_path):
    home = tmp_path / "pre-commit-home"
    project = tmp_path / "project"
    project.mkdir()
    write_tree(project, project_files({"mysite/settings.py": 'ALLOWED_HOSTS = ["*"]\n'}))
    git(project, "init", "-q")
    git(project, "add", "-A")

    failing = pre_commit(project, home, "try-repo", str(REPO), "djhlint", "--all-files")
    output = failing.stdout + failing.stderr
    assert failing.returncode == 1, output
    assert re.search(r"mysite/settings\.py:1:18: DJH101 ", output), output

    write_tree(project, project_files({}))
    git(project, "add", "-A")
    passing = pre_commit(project, home, "try-repo", str(REPO), "djhlint", "--all-files")
    assert passing.returncode == 0, passing.stdout + passing.stderr
    assert "Passed" in passing.stdout


def test_fix_hook_fails_when_its_only_fix_creates_a_file(tmp_path):
    # The one fix writes a .python-version from the runtime.txt in the package folder:
    # no tracked file changes, and no problem remains, yet the commit must not pass
    # without the new file (a fresh clone would fail DJH401).
    home = tmp_path / "pre-commit-home"
    project = tmp_path / "project"
    project.mkdir()
    write_tree(project, project_files({".python-version": None, "mysite/runtime.txt": "python-3.13.9\n"}))
    git(project, "init", "-q")
    git(project, "add", "-A")

    first = pre_commit(project, home, "try-repo", str(REPO), "djhlint-fix", "--all-files")
    output = first.stdout + first.stderr
    assert first.returncode == 1, output
    assert "Failed" in first.stdout, output
    assert (project / ".python-version").read_text() == "3.13\n"

    git(project, "add", "-A")
    second = pre_commit(project, home, "try-repo", str(REPO), "djhlint-fix", "--all-files")
    assert second.returncode == 0, second.stdout + second.stderr
    assert "Passed" in second.stdout
