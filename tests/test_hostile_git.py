"""A repository you do not trust: its own ``.git/config`` runs nothing under djhlint.

Git honours settings that run a program; ``git ls-files`` asks the file system monitor
(``core.fsmonitor``, a command) what changed.  djhlint turns those settings off on
every git call it makes, so a crafted ``.git/config`` in a repository you lint is inert.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from django_heroku_lint.discover.projects import find_projects

from .helpers import git
from .test_robustness import ended_cleanly, run_djhlint

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="the crafted command is a shell script")


@pytest.fixture
def crafted_repo(make_project, tmp_path: Path) -> tuple[Path, Path]:
    """A committed tutorial-like project whose .git/config runs a script that writes a marker."""
    root = make_project({"mysite/settings.py": 'ALLOWED_HOSTS = ["*"]\n'})
    (root / "notes.txt").write_text("untracked, so ls-files --others has work to do\n")
    git(root, "init", "-q")
    git(root, "add", "mysite", "manage.py", "Procfile", "requirements.txt", ".python-version")
    git(root, "commit", "-qm", "init")
    marker = tmp_path / "pwned"
    script = tmp_path / "payload.sh"
    script.write_text(f"#!/bin/sh\necho ran >> '{marker}'\n")
    script.chmod(0o755)
    with open(root / ".git" / "config", "a") as config:
        config.write(f"[core]\n\tfsmonitor = {script}\n\thooksPath = {tmp_path}\n")
    for hook in ("post-index-change", "post-checkout", "pre-commit"):
        (tmp_path / hook).write_text(f"#!/bin/sh\necho {hook} >> '{marker}'\n")
        (tmp_path / hook).chmod(0o755)
    return root, marker


def test_the_crafted_config_is_live(crafted_repo):
    # The trap is real: git itself runs the script when asked to list the files.
    root, marker = crafted_repo
    git(root, "ls-files", "--cached", "--others", "--exclude-standard")
    assert marker.exists()


@pytest.mark.parametrize("output_format", ["concise", "full"])
def test_a_crafted_fsmonitor_runs_nothing(crafted_repo, outside, output_format):
    root, marker = crafted_repo
    run = run_djhlint([str(root), "--output-format", output_format], outside, timeout=60)
    ended_cleanly(run)
    assert b"DJH101" in run.stdout  # git's listing was used: the project was linted
    assert not marker.exists(), marker.read_text()


@pytest.mark.parametrize("mode", ["--fix", "--diff"])
def test_a_crafted_fsmonitor_runs_nothing_under_fix(crafted_repo, outside, mode):
    root, marker = crafted_repo
    (root / "Procfile").write_text("web: gunicorn mysite.wsgi\n")  # a fix to apply: relint runs git again
    run = run_djhlint([str(root), mode, "--unsafe-fixes"], outside, timeout=60)
    ended_cleanly(run)
    assert not marker.exists(), marker.read_text()


def test_a_crafted_fsmonitor_runs_nothing_in_a_monorepo(crafted_repo):
    # No build file at the top: the projects come from the index, then their folders are listed.
    root, marker = crafted_repo
    service = root / "services" / "web"
    service.mkdir(parents=True)
    for name in ("mysite", "manage.py", "Procfile", "requirements.txt", ".python-version"):
        os.rename(root / name, service / name)
    git(root, "add", "-A")
    marker.unlink(missing_ok=True)  # git add itself honoured the crafted config
    (projects,) = find_projects([str(root)])
    assert projects.in_git and "mysite/settings.py" in projects.files
    assert not marker.exists(), marker.read_text()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_a_config_that_includes_a_fifo_is_a_one_line_error(make_project, monkeypatch):
    # git reads an included file whatever djhlint tells it: a FIFO blocks it until it is killed.
    import signal

    from django_heroku_lint.discover import projects as discovery
    from django_heroku_lint.discover.projects import DiscoveryError

    root = make_project()
    git(root, "init", "-q")
    os.mkfifo(root / ".git" / "trap")
    with open(root / ".git" / "config", "a") as config:
        config.write("[include]\n\tpath = trap\n")
    monkeypatch.setattr(discovery, "GIT_TIMEOUT", 1, raising=False)

    class Hung(Exception):  # not an OSError, which djhlint would take for git failing
        pass

    def hung(signum, frame):  # type: ignore[no-untyped-def]
        raise Hung("djhlint waited on git for 30 s")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(30)  # a regression fails here instead of hanging the test run
    try:
        with pytest.raises(DiscoveryError, match=r": git did not answer in 1 s \(does \.git/config include a FIFO"):
            find_projects([str(root)])
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def test_git_is_waited_for_without_polling(tmp_path, monkeypatch):
    # A wait with a timeout polls for git's exit in sleeps that double, most of them slept
    # after git has ended: on every run.  djhlint waits for the exit (the FIFO test above
    # checks that a git that never ends is still stopped).  This git answers, closes its
    # output, then takes a while to exit.
    import time

    from django_heroku_lint.discover import projects as discovery

    folder = tmp_path / "bin"
    folder.mkdir()
    fake = folder / "git"
    fake.write_text("#!/bin/sh\necho /top\nexec >&- 2>&-\nsleep 0.3\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")

    def polled(seconds: float) -> None:
        raise AssertionError(f"git's exit was polled for (a sleep of {seconds} s)")

    monkeypatch.setattr(time, "sleep", polled)
    assert discovery._git(tmp_path, "rev-parse", "--show-toplevel") == b"/top\n"


def test_a_crafted_worktree_outside_the_project_is_not_linted(make_project, tmp_path, outside):
    # core.worktree names another folder as the work tree: djhlint lints the folder it was given.
    secret = tmp_path / "home"
    secret.mkdir()
    (secret / "manage.py").write_text("")
    (secret / ".python-version").write_text("ghp_s3cr3tT0ken\n")
    root = make_project({"mysite/settings.py": 'ALLOWED_HOSTS = ["*"]\n'})
    git(root, "init", "-q")
    git(root, "config", "core.worktree", str(secret))
    run = run_djhlint([str(root), "--output-format", "json"], outside, timeout=60)
    ended_cleanly(run)
    assert b"ghp_s3cr3tT0ken" not in run.stdout and str(secret).encode() not in run.stdout
    assert b'"DJH101"' in run.stdout
