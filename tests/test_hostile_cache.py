"""A cache folder djhlint did not make is hostile: it is never written through, and its entries are never trusted.

A repository can commit a ``.djhlint_cache``, and another user can plant files in a
cache folder shared with ``--cache-dir``. Whatever is there, djhlint writes nothing
outside the project and its own cache folder, and reports what the files say.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from django_heroku_lint import store
from django_heroku_lint.store import CACHE_DIR_NAME

from .helpers import diagnostics, git, read_entry, run_cli, write_entry

HAZARDS = {
    "mysite/settings.py": (
        'SECRET_KEY = "django-insecure-0123456789abcdefghijklmnopqrstuvwxyz"\n'
        "DEBUG = True\n"
        'ALLOWED_HOSTS = ["*"]\n'
    )
}
FOUND = [("DJH102", "mysite/settings.py", 1), ("DJH104", "mysite/settings.py", 2), ("DJH101", "mysite/settings.py", 3)]
FORMAT_DIR = f"v{store.FORMAT}"


def entries(folder: Path) -> list[Path]:
    """The settings-model entries of a cache folder (not the outputs that check runs store to replay)."""
    return sorted(path for path in folder.glob("v*/*.json") if not _replay(path))


def _replay(path: Path) -> bool:
    if path.is_symlink() or not path.is_file():
        return False
    try:
        return str(read_entry(path).get("key")).startswith("replay:")
    except ValueError:  # not an entry djhlint wrote
        return False


def djhlint(*args: str, xdg: Path | None = None) -> subprocess.CompletedProcess:
    """djhlint in a child process, under a timeout and a memory limit: a hang or a runaway read fails the test."""
    env = dict(os.environ)
    if xdg is not None:
        env["XDG_CACHE_HOME"] = str(xdg)

    def limit_memory() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))

    return subprocess.run(
        [sys.executable, "-m", "django_heroku_lint", *args],
        capture_output=True,
        text=True,
        timeout=10,
        env=env,
        preexec_fn=limit_memory,
    )


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder of the user's, outside the project, holding a file djhlint must never touch."""
    folder = tmp_path / "home"
    folder.mkdir()
    (folder / ".bashrc").write_text("precious\n")
    return folder


def untouched(folder: Path) -> bool:
    return sorted(p.name for p in folder.iterdir()) == [".bashrc"] and (folder / ".bashrc").read_text() == "precious\n"


def test_the_expected_diagnostics(make_project):
    assert diagnostics(make_project(HAZARDS)) == FOUND


# ---------------------------------------------------------------------- links in a committed cache folder


def test_committed_marker_files_that_are_links_are_not_written_through(make_project, outside):
    root = make_project(HAZARDS)
    folder = root / CACHE_DIR_NAME
    folder.mkdir()
    (folder / ".gitignore").symlink_to(outside / "created-by-djhlint")  # dangling
    (folder / "CACHEDIR.TAG").symlink_to(outside / ".bashrc")
    assert diagnostics(root) == FOUND
    assert untouched(outside)
    assert (folder / ".gitignore").is_symlink() and (folder / "CACHEDIR.TAG").is_symlink()


def test_a_cache_folder_that_is_a_link_is_not_written_into(make_project, outside):
    root = make_project(HAZARDS)
    (root / CACHE_DIR_NAME).symlink_to(outside, target_is_directory=True)
    assert diagnostics(root) == FOUND
    assert diagnostics(root) == FOUND
    assert untouched(outside)


def test_a_format_folder_that_is_a_link_is_not_written_into(make_project, outside):
    root = make_project(HAZARDS)
    folder = root / CACHE_DIR_NAME
    folder.mkdir()
    (folder / FORMAT_DIR).symlink_to(outside, target_is_directory=True)
    assert diagnostics(root) == FOUND
    assert untouched(outside)


def test_a_format_folder_swapped_for_a_link_midway_is_not_followed(make_project, outside, monkeypatch):
    """The folder is checked and used through one open descriptor: swapping it for a link after the check changes nothing."""
    root = make_project(HAZARDS)
    folder = root / CACHE_DIR_NAME
    open_dir = store._open_dir

    def open_then_swap(name, dir_fd=None):  # type: ignore[no-untyped-def]
        fd = open_dir(name, dir_fd)
        if name == FORMAT_DIR and not (folder / "moved").exists():
            (folder / FORMAT_DIR).rename(folder / "moved")
            (folder / FORMAT_DIR).symlink_to(outside, target_is_directory=True)
        return fd

    monkeypatch.setattr(store, "_open_dir", open_then_swap)
    assert diagnostics(root) == FOUND
    assert untouched(outside)
    assert len(list((folder / "moved").glob("*.json"))) == 1  # the entry went where the check was made


def test_an_entry_that_is_a_link_is_neither_read_nor_written_through(make_project, outside):
    root = make_project(HAZARDS)
    diagnostics(root)
    (entry,) = entries(root / CACHE_DIR_NAME)
    good = entry.read_bytes()
    (outside / "forged.json").write_bytes(good)  # even a genuine entry is not read through a link
    entry.unlink()
    entry.symlink_to(outside / "forged.json")
    result = djhlint(str(root))
    assert result.returncode == 1 and "DJH101" in result.stdout
    assert not entry.is_symlink()  # replaced by a real entry
    assert (outside / "forged.json").read_bytes() == good


def test_an_entry_linked_to_dev_zero_is_a_miss(make_project):
    root = make_project(HAZARDS)
    diagnostics(root)
    (entry,) = entries(root / CACHE_DIR_NAME)
    entry.unlink()
    entry.symlink_to("/dev/zero")
    result = djhlint(str(root))  # used to read until memory ran out
    assert result.returncode == 1, result.stderr
    assert "DJH101" in result.stdout


def test_an_entry_that_is_a_fifo_is_a_miss(make_project):
    root = make_project(HAZARDS)
    diagnostics(root)
    (entry,) = entries(root / CACHE_DIR_NAME)
    entry.unlink()
    os.mkfifo(entry)
    result = djhlint(str(root))  # used to wait forever for a writer
    assert result.returncode == 1, result.stderr
    assert "DJH101" in result.stdout


# ---------------------------------------------------------------------- forged entries


def forge(entry: Path, secret: bytes | None, change) -> None:  # type: ignore[no-untyped-def]
    payload = read_entry(entry)
    change(payload)
    write_entry(entry, payload, secret)


def empty_model(payload: dict) -> None:
    payload["settings"]["settings"] = {"__dict": {}}


def attacker_secret(tmp_path: Path, root: Path) -> bytes:
    """Run djhlint on ``root`` as another user (another cache home), and return that user's secret."""
    home = tmp_path / "attacker-cache"
    assert djhlint(str(root), xdg=home).returncode == 1
    return (home / "djhlint" / "secret").read_bytes()


def test_an_entry_signed_by_another_user_is_not_trusted(make_project, tmp_path):
    """The attacker runs djhlint on the repository, empties the model and signs it again with their own secret."""
    root = make_project(HAZARDS)
    secret = attacker_secret(tmp_path, root)
    (entry,) = entries(root / CACHE_DIR_NAME)
    forge(entry, secret, empty_model)
    result = run_cli([str(root)])
    assert result.exit_code == 1
    assert "All checks passed" not in result.stdout
    assert diagnostics(root) == FOUND


def test_an_entry_crafted_without_the_secret_is_not_trusted(make_project):
    root = make_project(HAZARDS)
    diagnostics(root)
    (entry,) = entries(root / CACHE_DIR_NAME)
    forge(entry, os.urandom(store.SECRET_SIZE), empty_model)
    assert diagnostics(root) == FOUND
    payload = read_entry(entry)
    empty_model(payload)
    entry.write_text("0" * 64 + "\n" + json.dumps(payload))  # a MAC of the right shape
    assert diagnostics(root) == FOUND


def test_a_malformed_forged_entry_is_a_miss_not_an_internal_error(make_project, tmp_path):
    root = make_project(HAZARDS)
    secret = attacker_secret(tmp_path, root)
    (entry,) = entries(root / CACHE_DIR_NAME)
    forge(entry, secret, lambda payload: payload["settings"].update(settings={"__dict": {"DEBUG": 42}}))
    result = run_cli([str(root)])
    assert result.exit_code == 1, result.output
    assert "DJH101" in result.stdout


def _point_spans_at(obj, file: str) -> None:  # type: ignore[no-untyped-def]
    if isinstance(obj, dict):
        if "__s" in obj:
            obj["__s"] = [file, 1, 1, 1, 5]
        for value in obj.values():
            _point_spans_at(value, file)
    elif isinstance(obj, list):
        for value in obj:
            _point_spans_at(value, file)


@pytest.mark.parametrize("file", ["/etc/passwd", "../../../../../../../../etc/passwd", "mysite/../../outside.py"])
def test_a_span_naming_a_file_outside_the_build_is_a_miss(make_project, file):
    """Defence in depth: even an entry with a valid MAC never makes djhlint show a file outside the build."""
    root = make_project(HAZARDS)
    diagnostics(root)
    (entry,) = entries(root / CACHE_DIR_NAME)
    forge(entry, None, lambda payload: _point_spans_at(payload["settings"], file))
    result = run_cli(["--output-format", "full", str(root)])
    assert result.exit_code == 1
    assert "root:" not in result.stdout and "passwd" not in result.stdout
    assert diagnostics(root) == FOUND


# ---------------------------------------------------------------------- folders the user names


def test_cache_dir_dot_adds_no_gitignore_to_the_users_folder(make_project):
    root = make_project(HAZARDS)
    result = run_cli(["--cache-dir", ".", "."], cwd=root)
    assert result.exit_code == 1
    assert not (root / ".gitignore").exists() and not (root / "CACHEDIR.TAG").exists()
    assert entries(root)  # the cache works there all the same


def test_entries_in_a_folder_the_user_named_are_never_a_file_to_commit(make_project):
    """An entry holds what the settings hold, a committed .env's secrets included: git must
    not offer it for a commit even in the user's own folder, which gets no top .gitignore."""
    root = make_project(HAZARDS)
    git(root, "init", "-q")
    (root / "ci").mkdir()
    (root / "ci" / "README").write_text("the CI caches\n")
    assert run_cli(["--cache-dir", "ci", "."], cwd=root).exit_code == 1
    assert not (root / "ci" / ".gitignore").exists()  # the user's folder is left as it is
    assert list((root / "ci").glob("v*/*.json"))  # the cache works there
    shown = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"], cwd=root, capture_output=True, text=True, check=True).stdout
    assert "ci/v" not in shown and "ci/README" in shown, shown


def test_a_new_cache_dir_is_marked_as_a_cache(make_project, tmp_path):
    root = make_project(HAZARDS)
    folder = tmp_path / "ci-cache" / "djhlint"
    run_cli(["--cache-dir", str(folder), str(root)])
    assert (folder / ".gitignore").read_text().splitlines()[-1] == "*"
    assert (folder / "CACHEDIR.TAG").read_text().startswith("Signature: 8a477f597d28d172789f06886806bc55")


@pytest.mark.parametrize("how", ["option", "environment"])
def test_a_shared_cache_dir_with_planted_links_is_not_written_through(make_project, tmp_path, outside, monkeypatch, how):
    """Another user made the shared folder first and planted links to the victim's files in it."""
    root = make_project(HAZARDS)
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / ".gitignore").symlink_to(outside / "created-by-djhlint")
    (shared / "CACHEDIR.TAG").symlink_to(outside / ".bashrc")
    (shared / FORMAT_DIR).symlink_to(outside, target_is_directory=True)
    if how == "option":
        result = run_cli(["--cache-dir", str(shared), str(root)])
    else:
        monkeypatch.setenv("DJHLINT_CACHE_DIR", str(shared))
        result = run_cli([str(root)])
    assert result.exit_code == 1
    assert untouched(outside)
    assert not (root / CACHE_DIR_NAME).exists()


def test_a_shared_cache_dir_entry_from_another_user_is_not_trusted(make_project, tmp_path):
    root = make_project(HAZARDS)
    shared = tmp_path / "shared"
    home = tmp_path / "attacker-cache"
    assert djhlint("--cache-dir", str(shared), str(root), xdg=home).returncode == 1
    (entry,) = entries(shared)
    forge(entry, (home / "djhlint" / "secret").read_bytes(), empty_model)
    assert diagnostics(root, cache_dir=str(shared)) == FOUND


# ---------------------------------------------------------------------- the per-user secret


def test_the_secret_is_private_and_outside_the_project(make_project, tmp_path):
    root = make_project(HAZARDS)
    home = tmp_path / "cache-home"
    assert djhlint(str(root), xdg=home).returncode == 1
    folder = home / "djhlint"
    assert folder.stat().st_mode & 0o777 == 0o700
    assert (folder / "secret").stat().st_mode & 0o777 == 0o600
    assert sorted(p.name for p in folder.iterdir()) == ["secret"]
    assert not any("secret" in p.name for p in root.rglob("*"))


@pytest.mark.parametrize("flaw", ["readable", "link", "wrong size"])
def test_without_a_private_secret_the_cache_is_off(make_project, tmp_path, flaw):
    root = make_project(HAZARDS)
    home = tmp_path / "cache-home"
    folder = home / "djhlint"
    folder.mkdir(parents=True, mode=0o700)
    if flaw == "readable":
        (folder / "secret").write_bytes(os.urandom(store.SECRET_SIZE))
        (folder / "secret").chmod(0o644)
    elif flaw == "link":
        (tmp_path / "elsewhere").write_bytes(os.urandom(store.SECRET_SIZE))
        (tmp_path / "elsewhere").chmod(0o600)
        (folder / "secret").symlink_to(tmp_path / "elsewhere")
    else:
        (folder / "secret").write_bytes(b"short")
        (folder / "secret").chmod(0o600)
    result = djhlint("--verbose", str(root), xdg=home)
    assert result.returncode == 1 and "DJH101" in result.stdout and "Traceback" not in result.stderr
    assert f"the settings-model cache is off: no private secret to sign its entries in {folder}" in result.stderr
    assert not (root / CACHE_DIR_NAME).exists()


def test_a_relative_cache_home_is_not_used(make_project):
    """A relative XDG_CACHE_HOME would put the secret in whatever folder djhlint runs from."""
    root = make_project(HAZARDS)
    env = {**os.environ, "XDG_CACHE_HOME": "cache-home", "HOME": str(root.parent / "home")}
    subprocess.run([sys.executable, "-m", "django_heroku_lint", "."], cwd=root, env=env, capture_output=True, timeout=10)
    assert not (root / "cache-home").exists()
    assert (root.parent / "home" / ".cache" / "djhlint" / "secret").exists()
