"""A repository you do not trust: hostile files in a real-shaped project are never a hang,
a traceback or a leak.

Every file djhlint reads, the reporters' source lines included, goes through one
bounded reader: regular files only, at most a size limit, and no link that leaves the
project.  Each run here is a child process under a timeout, so a regression fails
instead of hanging the test run.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from django_heroku_lint.report.formats import FORMATS

from .test_robustness import ended_cleanly, run_djhlint

fifos = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
SOURCE_FORMATS = ("full", "gitlab")  # the formats that show or hash the flagged line
SECRET = "ghp_7kQ2s3cr3tT0kenNeverToBeShown"
GIB = 1024 * 1024 * 1024


@fifos
@pytest.mark.parametrize("output_format", SOURCE_FORMATS)
def test_a_fifo_procfile_does_not_hang_the_reporters(make_project, outside, output_format):
    root = make_project({"Procfile": None})
    os.mkfifo(root / "Procfile")
    run = run_djhlint([str(root), "--output-format", output_format], outside, timeout=30)
    ended_cleanly(run)
    assert b"not a regular file" in run.stdout


@pytest.mark.parametrize("output_format", SOURCE_FORMATS)
def test_a_sparse_gibibyte_procfile_is_not_read_by_the_reporters(make_project, outside, output_format):
    root = make_project()
    os.truncate(root / "Procfile", GIB)  # no disk used, but 1 GiB to whoever reads it
    run = run_djhlint([str(root), "--output-format", output_format], outside, timeout=60)
    ended_cleanly(run)
    assert b"too large" in run.stdout
    assert run.rss_mib < 250


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero on this platform")
@pytest.mark.parametrize("output_format", ("concise", *SOURCE_FORMATS))
def test_a_procfile_linked_to_dev_zero(make_project, outside, output_format):
    root = make_project({"Procfile": None})
    (root / "Procfile").symlink_to("/dev/zero")
    run = run_djhlint([str(root), "--output-format", output_format], outside, timeout=30)
    ended_cleanly(run)
    assert b"a link that leaves the project" in run.stdout
    assert run.rss_mib < 250


@pytest.fixture
def linked_secret(make_project, tmp_path):
    """A project whose .python-version links to a token file outside it."""
    root = make_project({".python-version": None, "Procfile": None})
    secret = tmp_path / "token.txt"
    secret.write_text(SECRET + "\n")
    (root / ".python-version").symlink_to(secret)
    (root / "Procfile").symlink_to(secret)
    return root


@pytest.mark.parametrize("output_format", FORMATS)
def test_a_link_to_a_secret_outside_the_project_is_never_shown(linked_secret, outside, output_format):
    run = run_djhlint([str(linked_secret), "--output-format", output_format], outside, timeout=30)
    ended_cleanly(run)
    assert SECRET.encode() not in run.stdout and SECRET not in run.stderr
    # The link is named, as a DJH000 that says why it was not read.
    assert b".python-version" in run.stdout and b"DJH000" in run.stdout


def test_a_link_to_a_secret_outside_the_project_is_a_djh000(linked_secret, outside):
    run = run_djhlint([str(linked_secret), "--output-format", "json"], outside, timeout=30)
    found = {(d["code"], Path(d["filename"]).name): d["message"] for d in json.loads(run.stdout)}
    assert found[("DJH000", ".python-version")] == "cannot read this file: a link that leaves the project: not followed"
    assert ("DJH000", "Procfile") in found
    assert ("DJH403", ".python-version") not in found


@pytest.mark.parametrize("output_format", ("concise", *SOURCE_FORMATS))
def test_a_link_into_git_is_not_followed(make_project, outside, output_format):
    # A CI checkout keeps its token in .git/config: a committed link to it shows nothing.
    from .helpers import git

    root = make_project({"Procfile": None})
    git(root, "init", "-q")
    git(root, "config", "http.https://github.com/.extraheader", f"AUTHORIZATION: basic {SECRET}")
    (root / "Procfile").symlink_to(Path(".git") / "config")
    git(root, "add", "-A")
    run = run_djhlint([str(root), "--output-format", output_format], outside, timeout=30)
    ended_cleanly(run)
    assert SECRET.encode() not in run.stdout and b"[core]" not in run.stdout
    assert b"a link into .git: not followed" in run.stdout


@pytest.mark.parametrize("output_format", ("concise", *SOURCE_FORMATS))
def test_a_link_to_an_ignored_file_is_not_followed(make_project, outside, output_format):
    # A developer's .env is ignored, so never committed; a commit linking to it shows nothing.
    from .helpers import git

    root = make_project({".python-version": None, "Procfile": None, ".gitignore": ".env\n", ".env": f"SECRET_KEY={SECRET}\n"})
    (root / ".python-version").symlink_to(".env")
    (root / "Procfile").symlink_to(".env")
    git(root, "init", "-q")
    git(root, "add", "-A")
    run = run_djhlint([str(root), "--output-format", output_format], outside, timeout=30)
    ended_cleanly(run)
    assert SECRET.encode() not in run.stdout and b"SECRET_KEY" not in run.stdout
    assert b"a link to a file that is not part of the project" in run.stdout


def test_a_link_inside_the_project_is_followed(make_project):
    root = make_project({".python-version": None})
    (root / "pins").mkdir()
    (root / "pins" / "python").write_text("3.13\n")
    (root / ".python-version").symlink_to(Path("pins") / "python")
    from .helpers import codes

    assert codes(root) == []


def test_a_huge_pyproject_is_one_line_error(make_project, outside):
    root = make_project()
    with open(root / "pyproject.toml", "wb") as handle:
        handle.write(b'[tool.djhlint]\nselect = ["DJH1"]\n')
    os.truncate(root / "pyproject.toml", GIB)
    run = run_djhlint([str(root)], outside, timeout=60)
    ended_cleanly(run, codes=(2,))
    assert run.stderr.startswith("djhlint: error: ") and "pyproject.toml: file is too large to read" in run.stderr
    assert run.stderr.count("\n") == 1
    assert run.rss_mib < 250


@pytest.mark.parametrize("mode", ["--fix", "--diff"])
def test_a_symlink_loop_under_fix(make_project, outside, mode):
    root = make_project({"Procfile": "web: gunicorn mysite.wsgi\n"})  # DJH302: a fix to apply
    (root / "loop").symlink_to("loop")
    (root / "mysite" / "cycle").symlink_to("..")
    run = run_djhlint([str(root), mode], outside, timeout=60)
    ended_cleanly(run)
    if mode == "--fix":
        assert (root / "Procfile").read_text() == "web: gunicorn mysite.wsgi --log-file -\n"
    else:
        assert b"+web: gunicorn mysite.wsgi --log-file -" in run.stdout


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _dangling(path: Path) -> None:
    path.symlink_to("nowhere")


@pytest.mark.parametrize("make", [pytest.param(_fifo, marks=fifos, id="fifo"), pytest.param(_dangling, id="dangling-link")])
@pytest.mark.parametrize("mode", ["", "--fix", "--diff"])
def test_a_misnamed_procfile_that_cannot_be_read_is_not_fixable(make_project, outside, make, mode):
    root = make_project({"Procfile": None})
    make(root / "Procfile.txt")
    run = run_djhlint([str(root), *([mode] if mode else [])], outside, timeout=30)
    ended_cleanly(run)
    if mode == "--diff":
        assert run.stdout == b""
    else:
        assert b"Procfile.txt:1:1: DJH000 " in run.stdout
        assert b"Procfile.txt:1:1: DJH301 Procfile.txt " in run.stdout  # reported, with no [*]
    assert os.path.lexists(root / "Procfile.txt") and not os.path.lexists(root / "Procfile")


@pytest.mark.parametrize("given", [".", "abs"])
def test_running_from_a_deleted_folder(make_project, tmp_path, given):
    root = make_project({"mysite/settings.py": 'ALLOWED_HOSTS = ["*"]\n'})  # a diagnostic, shown relative to the current folder
    gone = tmp_path / "gone"
    gone.mkdir()
    script = "import os, sys; os.chdir(sys.argv[1]); os.rmdir(sys.argv[1]); sys.argv[1:] = sys.argv[2:]; sys.argv[0] = 'djhlint';"
    script += "import runpy; runpy.run_module('django_heroku_lint', run_name='__main__')"
    path = "." if given == "." else str(root)
    run = subprocess.run([sys.executable, "-c", script, str(gone), path], capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert run.returncode == 2, run.stderr
    assert run.stderr == "djhlint: error: the current folder no longer exists (it was deleted or moved): run djhlint from a folder that does\n"


@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="no /proc on this platform")
def test_the_reader_does_not_trust_the_stated_size():
    # A file of /proc states a size of 0 and holds more: the limit holds on what is read.
    from django_heroku_lint.discover.projects import UnreadableFile, read_file

    assert os.stat("/proc/self/status").st_size == 0
    with pytest.raises(UnreadableFile, match="too large"):
        read_file("/proc/self/status", "/proc/self", limit=16)
    assert read_file("/proc/self/status", "/proc/self").startswith(b"Name:")
