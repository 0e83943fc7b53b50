"""Writing fixed files: the only code that changes the user's files.

Every write is atomic (a temporary file in the same folder, then a rename over the
original) and keeps the file's mode.  Before anything is replaced the file is read
again: if it changed since djhlint read it, it is left alone.  A read-only file, a
symbolic link, or a path that leads outside the build root is never written.  A new
file is created only if nothing has that name; a rename never replaces another file,
and a rename that only changes case goes through a temporary name, so it also works
on case-insensitive file systems (macOS, Windows).  A file is deleted only if it is
still what djhlint read, and (``fixer.py`` sees to it) only after the other files of
its fix are written.

Errors are one line each (``WriteError``); a failed write leaves the file as it was.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from .discovery import Project
from .ftypes import FileChange, ParseError

TEMP_SUFFIX = ".djhlint-tmp"


class WriteError(Exception):
    """A file that is not written, and why, in one line."""


def _target(project: Project, rel: str) -> Path:
    """The path of ``rel`` in the build, refusing anything that leads outside it."""
    parts = rel.split("/")
    if not rel or rel.startswith("/") or "\\" in rel or any(part in ("", ".", "..") for part in parts):
        raise WriteError("not a path inside the project; nothing is written outside it")
    root = project.build_root.resolve()
    path = project.build_root / rel
    if not path.parent.resolve().is_relative_to(root):
        raise WriteError("its folder leads outside the project; nothing is written outside it")
    if path.is_symlink():
        raise WriteError("is a symbolic link; djhlint does not rewrite links")
    return path


def _read_only(path: Path) -> bool:
    mode = os.stat(path).st_mode
    return not (mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)) or not os.access(path, os.W_OK)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _unchanged(project: Project, rel: str, before: bytes | None, action: str = "overwritten") -> None:
    current = project.read_fresh(rel)
    if isinstance(current, ParseError):
        raise WriteError(f"cannot read it again before writing ({current.reason})")
    if current != before:
        raise WriteError(f"changed since djhlint read it; not {action}")


def preflight(project: Project, change: FileChange) -> str | None:
    """Why ``change`` cannot be written, in one line, or ``None``."""
    name = change.origin or change.path
    try:
        source = None
        if change.origin is not None:
            source = _target(project, change.origin)
            _unchanged(project, change.origin, change.before, "deleted" if change.deleted else "overwritten")
            if _read_only(source):
                raise WriteError("the file is read-only; its fixes were not applied")
        if change.deleted:
            if source is not None and not os.access(source.parent, os.W_OK):
                raise WriteError("its folder is read-only")
        elif change.origin != change.path:
            name = change.path
            target = _target(project, change.path)
            if os.path.lexists(target) and not (source is not None and _same_file(source, target)):
                raise WriteError("already exists; not overwritten")
            if not os.access(target.parent, os.W_OK):
                raise WriteError("its folder is read-only")
    except WriteError as exc:
        return f"{name}: {exc}"
    except OSError as exc:
        return f"{name}: {exc.strerror or exc}"
    return None


def write(project: Project, change: FileChange) -> None:
    """Carry out ``change`` on disk; raises WriteError with a one-line reason."""
    name = change.origin or change.path
    try:
        if change.origin is None:
            _create(_target(project, change.path), change.after or b"")
            return
        if change.after is None:
            _delete(project, change.origin, change.before)
            return
        if change.origin != change.path:
            _unchanged(project, change.origin, change.before)
            _rename(_target(project, change.origin), _target(project, change.path))
            name = change.path
        if change.after != change.before:
            _replace(project, change.path, change.before, change.after)
    except WriteError as exc:
        raise WriteError(f"{name}: {exc}") from None
    except OSError as exc:
        raise WriteError(f"{name}: {exc.strerror or exc}") from None


def _temp_file(folder: Path, name: str, data: bytes) -> str:
    handle, temp = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=TEMP_SUFFIX)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
    except BaseException:
        os.unlink(temp)
        raise
    return temp


def _replace(project: Project, rel: str, before: bytes | None, after: bytes) -> None:
    path = _target(project, rel)
    info = os.stat(path)
    if _read_only(path):
        raise WriteError("the file is read-only; its fixes were not applied")
    temp = _temp_file(path.parent, path.name, after)
    try:
        os.chmod(temp, stat.S_IMODE(info.st_mode))
        if hasattr(os, "chown"):
            try:
                os.chown(temp, info.st_uid, info.st_gid)
            except OSError:
                pass  # not ours to give away: the new file keeps our ownership
        _unchanged(project, rel, before)
        os.replace(temp, path)
    except BaseException:
        if os.path.lexists(temp):
            os.unlink(temp)
        raise


def _delete(project: Project, rel: str, before: bytes | None) -> None:
    """Delete ``rel`` if it is still what djhlint read."""
    path = _target(project, rel)
    if _read_only(path):
        raise WriteError("the file is read-only; its fixes were not applied")
    _unchanged(project, rel, before, "deleted")
    os.unlink(path)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _create(path: Path, data: bytes) -> None:
    """Create ``path`` holding ``data``, only if nothing has that name yet."""
    if os.path.lexists(path):
        raise WriteError("already exists; not overwritten")
    temp = _temp_file(path.parent, path.name, data)
    try:
        os.chmod(temp, 0o666 & ~_umask())
        try:
            os.link(temp, path)  # fails if the name exists: no race with another writer
        except FileExistsError:
            raise WriteError("already exists; not overwritten") from None
        except OSError:  # a file system without hard links: exclusive creation instead
            handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
            with os.fdopen(handle, "wb") as out:
                out.write(data)
    finally:
        if os.path.lexists(temp):
            os.unlink(temp)


def _rename(source: Path, target: Path) -> None:
    """Rename without ever replacing another file."""
    if source.name.lower() == target.name.lower() and source.parent == target.parent:
        # Only the case changes.  On a case-insensitive file system both names are the
        # same file, and a direct rename may do nothing: go through a temporary name.
        if os.path.lexists(target) and not _same_file(source, target):
            raise WriteError("already exists; not overwritten")
        folder = tempfile.mkdtemp(dir=source.parent, prefix=f".{source.name}.", suffix=TEMP_SUFFIX)
        temp = os.path.join(folder, source.name)
        try:
            os.rename(source, temp)
            try:
                os.rename(temp, target)
            except BaseException:
                os.rename(temp, source)
                raise
        finally:
            os.rmdir(folder)
        return
    try:
        os.link(source, target)  # fails if the name exists
    except FileExistsError:
        raise WriteError("already exists; not overwritten") from None
    except OSError:
        if os.path.lexists(target):
            raise WriteError("already exists; not overwritten") from None
        os.rename(source, target)
        return
    os.unlink(source)
