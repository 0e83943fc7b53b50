"""`djhlint --fix` on a repository it does not trust, while other things happen to it.

A user saving in the instant before the rename, a write failing half way through a
rename, another `--fix` racing this one, a run killed mid-write, special mode bits, and
links planted to lead a write outside the project: the files end as the user or djhlint
left them whole, and the report describes the disk.
"""

from __future__ import annotations

import errno
import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from django_heroku_lint.fix import fixer
from django_heroku_lint.fix import writer
from django_heroku_lint.rules._baseline import SETTINGS

from .helpers import run_cli, snapshot

DEBUG_UNCAST = SETTINGS.replace('config("DEBUG", default=False, cast=bool)', 'config("DEBUG", default=False)')
DEBUG_CAST = SETTINGS
PROCFILE_BARE = "web: gunicorn mysite.wsgi\nrelease: python manage.py migrate --no-input\n"
PROCFILE_FIXED = "web: gunicorn mysite.wsgi --log-file -\nrelease: python manage.py migrate --no-input\n"
SRC = str(Path(writer.__file__).resolve().parent.parent)


def fix(root: Path, *args: str):
    return run_cli(["--fix", "--no-cache", *args, str(root)])


def report(root: Path) -> tuple[int, str]:
    """The exit code and diagnostics of a plain run: what the disk holds now."""
    result = run_cli(["--no-cache", str(root)])
    return result.exit_code, result.stdout


def temp_files(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if writer.TEMP_SUFFIX in p.name)


def reported_files(stdout: str) -> set[str]:
    return {line.split(":", 1)[0] for line in stdout.splitlines() if line}


def wait_for(path: Path, process: subprocess.Popen) -> None:
    """Wait (10 s at most) until ``process`` creates ``path``."""
    deadline = time.monotonic() + 10
    while not path.exists():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            out, err = process.communicate()
            pytest.fail(f"the fix never got to its write: {out!r} {err!r}")
        time.sleep(0.01)


# A `djhlint --fix` in a process of its own that stops in its write path, at the step the
# first argument names, until the test kills it or lets it go on.
PAUSED_FIX = """
import os, sys, time
sys.path.insert(0, {src!r})
from django_heroku_lint import cli
from django_heroku_lint.fix import fixer
from django_heroku_lint.fix import writer
step, ready, go, root = sys.argv[1:5]
if os.environ.get("NO_TMPFILE"):
    writer._TMPFILE = 0
def pause():
    open(ready, "w").close()
    while not os.path.exists(go):
        time.sleep(0.01)
if step == "fsync":
    real_fsync = os.fsync
    def fsync(fd):
        pause()
        return real_fsync(fd)
    os.fsync = fsync
else:
    real_write = fixer.write
    def write(project, change):
        pause()
        return real_write(project, change)
    fixer.write = write
sys.argv = ["djhlint", "--fix", "--no-cache", root]
cli.main()
"""


def paused_fix(root: Path, step: str, tmp_path: Path, **env: str) -> tuple[subprocess.Popen, Path, Path]:
    ready, go = tmp_path / f"ready-{step}", tmp_path / f"go-{step}"
    process = subprocess.Popen(
        [sys.executable, "-c", PAUSED_FIX.format(src=SRC), step, str(ready), str(go), str(root)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, **env},
    )
    wait_for(ready, process)
    return process, ready, go


# ---------------------------------------------------------------------- a save in the last instant


def test_a_save_in_the_instant_before_the_rename_is_kept(make_project, monkeypatch):
    """The user's editor appends to settings.py after djhlint's last check, just before its
    rename: the save is put back, reported, and the report shows the file as it is."""
    root = make_project({"mysite/settings.py": DEBUG_UNCAST})
    settings = root / "mysite/settings.py"
    edited = DEBUG_UNCAST + "TIME_ZONE = 'UTC'\n"
    real_replace = os.replace

    def saving_first(source, target, *args, **kwargs):
        if str(target).endswith("settings.py") and settings.read_text() == DEBUG_UNCAST:
            with open(settings, "a") as out:  # the editor writes into the file it opened
                out.write("TIME_ZONE = 'UTC'\n")
        return real_replace(source, target, *args, **kwargs)

    monkeypatch.setattr(os, "replace", saving_first)
    result = fix(root)
    monkeypatch.undo()
    assert settings.read_text() == edited
    assert "djhlint: error: mysite/settings.py: changed while djhlint wrote it; the change was kept" in result.stderr
    assert result.exit_code == 1  # DEBUG is still uncast: the problem remains, and is reported
    assert [line.split(" ")[1] for line in result.stdout.splitlines()] == ["DJH103"]
    assert report(root) == (result.exit_code, result.stdout)
    assert temp_files(root) == []


# ---------------------------------------------------------------------- a rename with an edit, failing half way


@pytest.mark.parametrize("failing", ["unlink", "fsync"], ids=["removing-the-old-name", "writing-the-new-bytes"])
def test_a_rename_with_an_edit_failing_half_way_leaves_the_tree_as_it_was(make_project, monkeypatch, failing):
    """Procfile.txt becomes Procfile (DJH301) with --log-file - added (DJH302): one change
    in several steps.  When a step fails (removing the old name, or saving the new bytes
    to disk), the steps done are undone, and the report names the file that exists."""
    root = make_project({"Procfile": None, "Procfile.txt": PROCFILE_BARE})
    before = snapshot(root)
    real = getattr(os, failing)

    def broken(path, *args, **kwargs):
        if failing == "unlink" and os.path.basename(path) != "Procfile.txt":
            return real(path, *args, **kwargs)
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(os, failing, broken)
    result = fix(root)
    monkeypatch.undo()
    assert snapshot(root) == before
    assert temp_files(root) == []
    assert result.exit_code == 1
    assert reported_files(result.stdout) == {str(root / "Procfile.txt")}
    assert all(Path(name).exists() for name in reported_files(result.stdout))
    assert report(root) == (result.exit_code, result.stdout)


def test_a_save_in_the_instant_before_a_rename_with_an_edit_is_kept(make_project, monkeypatch):
    """Procfile.txt is being renamed to Procfile with --log-file - added when the user
    appends to it: the rename is undone, and Procfile.txt holds the user's save."""
    root = make_project({"Procfile": None, "Procfile.txt": PROCFILE_BARE})
    procfile_txt = root / "Procfile.txt"
    real_unlink = os.unlink

    def saving_first(path, *args, **kwargs):
        if os.path.basename(path) == "Procfile.txt" and procfile_txt.read_text() == PROCFILE_BARE:
            with open(procfile_txt, "a") as out:
                out.write("worker: python manage.py qcluster\n")
        return real_unlink(path, *args, **kwargs)

    monkeypatch.setattr(os, "unlink", saving_first)
    result = fix(root)
    monkeypatch.undo()
    assert procfile_txt.read_text() == PROCFILE_BARE + "worker: python manage.py qcluster\n"
    assert not (root / "Procfile").exists()
    assert "djhlint: error: Procfile: changed while djhlint wrote it; the change was kept" in result.stderr
    assert result.exit_code == 1
    assert report(root) == (result.exit_code, result.stdout)
    assert temp_files(root) == []


# ---------------------------------------------------------------------- two fixes racing


def test_the_loser_of_a_race_reports_the_disk(make_project, tmp_path):
    """Two `--fix` on one project: the second reads the files, then the first fixes them
    all before the second writes.  Every write of the second finds its file changed; its
    report is of the files as the first left them, not the problems it read."""
    root = make_project({"mysite/settings.py": DEBUG_UNCAST, "Procfile": None, "Procfile.txt": PROCFILE_BARE})
    loser, _, go = paused_fix(root, "write", tmp_path)
    winner = fix(root)
    go.touch()
    out, err = loser.communicate(timeout=60)
    assert winner.exit_code == 0, winner.output
    assert (root / "mysite/settings.py").read_text() == DEBUG_CAST
    assert (root / "Procfile").read_text() == PROCFILE_FIXED and not (root / "Procfile.txt").exists()
    assert b"djhlint: error: " in err  # its writes were refused: the files changed
    assert (loser.returncode, out.decode()) == report(root) == (0, "")
    assert temp_files(root) == []


# ---------------------------------------------------------------------- a run killed mid-write


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="no SIGKILL")
@pytest.mark.parametrize("anonymous", [True, False], ids=["o_tmpfile", "named-temp"])
def test_a_fix_killed_mid_write_leaves_no_temporary_file(make_project, tmp_path, anonymous):
    """A fix killed while it writes its temporary file: the file is untouched, and after
    the next run no temporary file remains (an anonymous one never had a name; a named one
    of a process that is gone is removed)."""
    if anonymous and not (hasattr(os, "O_TMPFILE") and os.path.isdir("/proc/self/fd")):
        pytest.skip("no anonymous temporary files here")
    root = make_project({"mysite/settings.py": DEBUG_UNCAST})
    process, _, _ = paused_fix(root, "fsync", tmp_path, **({} if anonymous else {"NO_TMPFILE": "1"}))
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=60)
    assert (root / "mysite/settings.py").read_text() == DEBUG_UNCAST
    result = fix(root)
    assert result.exit_code == 0, result.output
    assert (root / "mysite/settings.py").read_text() == DEBUG_CAST
    assert temp_files(root) == []


def dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_a_case_only_rename_killed_half_way_is_put_back(make_project):
    """Where names ignore case, `procfile` -> `Procfile` goes through a temporary folder:
    a run killed between the two renames leaves the file there.  The next `--fix` puts it
    back and finishes the rename."""
    root = make_project({"Procfile": None})
    folder = root / f".procfile.{dead_pid()}.0123abcd{writer.TEMP_SUFFIX}"
    folder.mkdir()
    (folder / "procfile").write_text(PROCFILE_FIXED)
    result = fix(root)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in root.iterdir() if p.name.lower().startswith(("procfile", ".procfile"))) == ["Procfile"]
    assert (root / "Procfile").read_text() == PROCFILE_FIXED
    assert temp_files(root) == []


def test_a_temporary_file_of_a_live_run_is_left_alone(make_project):
    root = make_project({"mysite/settings.py": DEBUG_UNCAST})
    live = root / "mysite" / f".settings.py.{os.getppid()}.0123abcd{writer.TEMP_SUFFIX}"
    live.write_text("another run's\n")
    assert fix(root).exit_code == 0
    assert live.read_text() == "another run's\n"


# ---------------------------------------------------------------------- mode bits and owner


@pytest.mark.skipif(not hasattr(os, "fchmod"), reason="no POSIX modes")
@pytest.mark.parametrize("mode", [0o6755, 0o2750, 0o1644], ids=["setuid-setgid", "setgid", "sticky"])
def test_special_mode_bits_survive_a_fix(make_project, mode):
    root = make_project({"mysite/settings.py": DEBUG_UNCAST})
    settings = root / "mysite/settings.py"
    settings.chmod(mode)
    assert fix(root).exit_code == 0
    assert settings.read_text() == DEBUG_CAST
    assert stat.S_IMODE(settings.stat().st_mode) == mode


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="only root can give a file away")
def test_as_root_the_owner_survives_a_fix(make_project):
    root = make_project({"mysite/settings.py": DEBUG_UNCAST})
    settings = root / "mysite/settings.py"
    os.chown(settings, 1234, 5678)
    settings.chmod(0o6755)
    assert fix(root).exit_code == 0
    info = settings.stat()
    assert (info.st_uid, info.st_gid, stat.S_IMODE(info.st_mode)) == (1234, 5678, 0o6755)


# ---------------------------------------------------------------------- links


def test_a_link_to_a_file_outside_is_never_written(make_project, tmp_path):
    outside = tmp_path / "outside" / "Procfile.txt"
    outside.parent.mkdir()
    outside.write_text(PROCFILE_BARE)
    root = make_project({"Procfile": None})
    (root / "Procfile.txt").symlink_to(outside)
    fix(root)
    assert outside.read_text() == PROCFILE_BARE
    assert (root / "Procfile.txt").is_symlink() and not (root / "Procfile").exists()


def test_a_folder_swapped_for_a_link_while_writing_is_not_followed(make_project, tmp_path, monkeypatch):
    """Once djhlint starts writing mysite/settings.py, mysite is swapped for a link to a
    folder outside holding the same settings.py: nothing outside is written."""
    root = make_project({"mysite/settings.py": DEBUG_UNCAST})
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "settings.py").write_text(DEBUG_UNCAST)
    real_write, real_open = fixer.write, os.open

    def swapping_open(*args, **kwargs):
        monkeypatch.setattr(os, "open", real_open)
        os.rename(root / "mysite", tmp_path / "moved")
        os.symlink(outside, root / "mysite")
        return real_open(*args, **kwargs)

    def write(project, change):
        if change.path == "mysite/settings.py":
            monkeypatch.setattr(os, "open", swapping_open)
        return real_write(project, change)

    monkeypatch.setattr(fixer, "write", write)
    result = fix(root)
    monkeypatch.undo()
    assert (root / "mysite").is_symlink()
    assert (outside / "settings.py").read_text() == DEBUG_UNCAST
    assert sorted(p.name for p in outside.iterdir()) == ["settings.py"]
    assert "djhlint: error: mysite/settings.py: " in result.stderr and "symbolic link" in result.stderr
