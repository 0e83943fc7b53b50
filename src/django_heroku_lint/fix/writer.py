"""Writing fixed files: the only code that changes the user's files.

Every write is atomic (a temporary file in the same folder, then a rename over the
original) and keeps the file's mode, setuid, setgid and sticky bits included (and its
owner and group when djhlint runs as root; otherwise the file becomes the writer's, as
with any editor that saves by renaming).  Nothing is ever written through a symbolic
link: each folder on the way from the build root is opened without following links,
and every later step (open, link, rename, delete) is relative to that open folder, so
a folder swapped for a link meanwhile is not followed; a file that is a link is
refused.  A path that leads outside the build root is never written.

A file is overwritten, renamed or deleted only if it is still what djhlint read: its
bytes are compared again, and its identity (inode, device, size, modification time)
checked once more right before the rename that replaces it.  After the rename the old
file, still open, is read once more: a save that went into it in the instant between
the last check and the rename is put back and reported.  (An editor that saves by
renaming its own new file over the old one in that same instant of a few microseconds
loses its save: closing that window needs locks that editors do not take.)

A new file is created only if nothing has that name; a rename never replaces another
file.  A rename that also changes the file writes the new file next to the old one and
removes the old one last; if that fails, the new one is removed again, so the tree is
as it was.  A rename that only changes case is a plain rename where names are case
sensitive; where they are not (macOS, Windows) it goes through a temporary folder.

Temporary files are anonymous where Linux allows it (``O_TMPFILE``): they have a name
only for the instant before they are renamed over the original, and a killed run leaves
nothing.  Elsewhere they are named ``.<name>.<pid>.<random>.djhlint-tmp``; ``sweep``
(run by the next ``--fix`` in the build root and the folders of the files with
problems) removes those whose process is gone, and puts back a file a killed case-only
rename left in its temporary folder.

Errors are one line each (``WriteError``); a failed write leaves the file as it was.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from ..discover.projects import Project
from ..ftypes import ParseError


@dataclass(frozen=True, slots=True)
class FileChange:
    """What the fixes do to one file, end to end: ``origin`` is the path it had (``None``
    when the fixes create it), ``path`` the one it ends with; ``before`` is the content
    as it was read, ``after`` the content to write (``None`` when the fixes delete it)."""

    path: str
    origin: str | None
    before: bytes | None
    after: bytes | None

    @property
    def deleted(self) -> bool:
        return self.after is None


TEMP_SUFFIX = ".djhlint-tmp"
_TEMP_NAME = re.compile(r"\.(?P<name>.+)\.(?P<pid>[0-9]+)\.[0-9a-f]{8}" + re.escape(TEMP_SUFFIX))

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)  # a FIFO swapped in must not block the open
_BINARY = getattr(os, "O_BINARY", 0)
_TMPFILE = getattr(os, "O_TMPFILE", 0)
_DIR_FDS = all(f in os.supports_dir_fd for f in (os.open, os.stat, os.unlink, os.rename, os.link, os.mkdir, os.rmdir))


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


class _Folder:
    """A folder of the build, opened without following links: names are looked up in it,
    whatever happens to its path meanwhile (where the platform has no folder handles,
    the path is used)."""

    def __init__(self, project: Project, rel: str) -> None:
        self.path = project.build_root.resolve().joinpath(*rel.split("/")[:-1])
        self.fd: int | None = None
        if not _DIR_FDS:
            return
        fd = os.open(project.build_root.resolve(), os.O_RDONLY | _DIRECTORY)
        try:
            for part in rel.split("/")[:-1]:
                try:
                    inner = os.open(part, os.O_RDONLY | _DIRECTORY | _NOFOLLOW, dir_fd=fd)
                except OSError as exc:
                    if exc.errno in (errno.ELOOP, errno.ENOTDIR):
                        raise WriteError(f"its folder {part} is a symbolic link or not a folder; nothing is written through links") from None
                    raise
                os.close(fd)
                fd = inner
        except BaseException:
            os.close(fd)
            raise
        self.fd = fd

    @classmethod
    def inside(cls, parent: _Folder, name: str) -> _Folder:
        """The folder ``name`` of ``parent``, opened without following a link."""
        folder = cls.__new__(cls)
        folder.path, folder.fd = parent.path / name, None
        if parent.fd is not None:
            folder.fd = parent.open(name, os.O_RDONLY | _DIRECTORY)
        return folder

    def close(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None

    def __enter__(self) -> _Folder:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _at(self) -> dict:
        return {"dir_fd": self.fd} if self.fd is not None else {}

    def _name(self, name: str) -> str:
        return name if self.fd is not None else os.path.join(self.path, name)

    def open(self, name: str, flags: int, mode: int = 0o600) -> int:
        return os.open(self._name(name), flags | _NOFOLLOW | _BINARY, mode, **self._at())

    def lstat(self, name: str) -> os.stat_result:
        return os.stat(self._name(name), follow_symlinks=False, **self._at())

    def exists(self, name: str) -> bool:
        try:
            self.lstat(name)
        except FileNotFoundError:
            return False
        return True

    def unlink(self, name: str) -> None:
        os.unlink(self._name(name), **self._at())

    def link(self, source: str, target: str, other: _Folder | None = None, folder: _Folder | None = None) -> None:
        """Link ``source`` (of ``other``, else of this folder) as ``target`` (of ``folder``,
        else of this folder); fails if ``target`` exists."""
        other, folder = other or self, folder or self
        if folder.fd is not None and other.fd is not None:
            os.link(source, target, src_dir_fd=other.fd, dst_dir_fd=folder.fd, follow_symlinks=False)
        else:
            os.link(other._name(source), folder._name(target))

    def replace(self, source: str, target: str) -> None:
        if self.fd is not None:
            os.replace(source, target, src_dir_fd=self.fd, dst_dir_fd=self.fd)
        else:
            os.replace(self._name(source), self._name(target))


def _identity(info: os.stat_result) -> tuple[int, int, int, int]:
    return (info.st_ino, info.st_dev, info.st_size, info.st_mtime_ns)


def _read_fd(fd: int, limit: int) -> bytes:
    """Up to ``limit`` bytes of the open file, from its start."""
    chunks, size = [], 0
    if not hasattr(os, "pread"):  # pragma: no cover - Windows
        os.lseek(fd, 0, os.SEEK_SET)
    while size < limit:
        chunk = os.pread(fd, min(1 << 20, limit - size), size) if hasattr(os, "pread") else os.read(fd, min(1 << 20, limit - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


class _Original:
    """A file of the build as it is now, held open: what a write checks against."""

    def __init__(self, folder: _Folder, name: str, before: bytes | None, action: str) -> None:
        self.folder, self.name, self.before, self.action = folder, name, before, action
        try:
            self.fd = folder.open(name, os.O_RDONLY | _NONBLOCK)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise WriteError("is a symbolic link; djhlint does not rewrite links") from None
            raise WriteError(f"cannot read it again before writing ({exc.strerror or exc})") from None
        try:
            self.info = os.fstat(self.fd)
            if not stat.S_ISREG(self.info.st_mode):
                raise WriteError(f"is not a regular file; not {action}")
            if self._content() != before or _identity(os.fstat(self.fd)) != _identity(self.info):
                raise WriteError(f"changed since djhlint read it; not {action}")
        except BaseException:
            os.close(self.fd)
            raise

    def _content(self) -> bytes:
        return _read_fd(self.fd, len(self.before or b"") + 1)

    def check(self) -> None:
        """Raise unless the name still holds the very file read, unchanged: the last look
        before replacing it."""
        try:
            now = self.folder.lstat(self.name)
        except OSError:
            now = None
        if now is None or _identity(now) != _identity(self.info) or _identity(os.fstat(self.fd)) != _identity(self.info):
            raise WriteError(f"changed since djhlint read it; not {self.action}")
        if self._content() != self.before:
            raise WriteError(f"changed since djhlint read it; not {self.action}")

    def changed_after(self) -> bool:
        """Whether a write went into the file after the last check (it is no longer at its name)."""
        return self._content() != self.before

    def content(self) -> bytes:
        return _read_fd(self.fd, max(os.fstat(self.fd).st_size, len(self.before or b"")) + (1 << 20))

    def close(self) -> None:
        os.close(self.fd)

    def __enter__(self) -> _Original:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _read_only(info: os.stat_result, folder: _Folder, name: str) -> bool:
    if not (info.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)):
        return True
    if folder.fd is not None and os.access in os.supports_dir_fd:
        return not os.access(name, os.W_OK, dir_fd=folder.fd)
    return not os.access(folder.path / name, os.W_OK)


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
            if not (os.stat(source).st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)) or not os.access(source, os.W_OK):
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
            _target(project, change.path)
            with _Folder(project, change.path) as folder:
                _create(_Spot(folder, change.path.rsplit("/", 1)[-1]), change.after or b"")
            return
        _target(project, change.origin)
        if change.after is None:
            with _Folder(project, change.origin) as folder:
                _delete(folder, change.origin.rsplit("/", 1)[-1], change.before)
            return
        if change.origin != change.path:
            _target(project, change.path)
            name = change.path
            with _Folder(project, change.origin) as source, _Folder(project, change.path) as target:
                _move(change, source, target)
            return
        if change.after != change.before:
            with _Folder(project, change.path) as folder:
                _replace(folder, change.path.rsplit("/", 1)[-1], change.before, change.after)
    except WriteError as exc:
        raise WriteError(f"{name}: {exc}") from None
    except OSError as exc:
        raise WriteError(f"{name}: {exc.strerror or exc}") from None


class _Spot:
    """A name in an open folder: where a new file goes."""

    def __init__(self, folder: _Folder, name: str) -> None:
        self.folder, self.name = folder, name


# ---------------------------------------------------------------------- temporary files


def _temp_name(name: str) -> str:
    return f".{name}.{os.getpid()}.{os.urandom(4).hex()}{TEMP_SUFFIX}"


class _Temp:
    """New bytes waiting in a folder: an anonymous file (``O_TMPFILE``) given a name only
    when it is committed, or else a named temporary file."""

    def __init__(self, folder: _Folder, fd: int, name: str | None, target: str) -> None:
        self.folder, self.fd, self.name, self.target = folder, fd, name, target

    def set_mode(self, info: os.stat_result | None) -> None:
        """Give the file the mode (and, as root, the owner) of ``info``; a new file's mode
        when ``info`` is None.  The owner goes first: changing it clears setuid and setgid."""
        if info is None:
            _fchmod(self, 0o666 & ~_umask())
            return
        if hasattr(os, "fchown"):
            try:
                os.fchown(self.fd, info.st_uid, info.st_gid)
            except OSError:
                pass  # not ours to give away: the new file keeps our ownership
        _fchmod(self, stat.S_IMODE(info.st_mode))

    def link_as(self, name: str) -> None:
        """Give the file ``name`` in its folder; fails if ``name`` exists."""
        if self.name is not None:
            self.folder.link(self.name, name)
            return
        os.link(f"/proc/self/fd/{self.fd}", name, dst_dir_fd=self.folder.fd, follow_symlinks=True)

    def named(self) -> str:
        """A temporary name for the file, for a rename over the original."""
        if self.name is None:
            while True:
                name = _temp_name(self.target)
                try:
                    self.link_as(name)
                except FileExistsError:  # pragma: no cover - 32 random bits
                    continue
                self.name = name
                break
        return self.name

    def discard(self) -> None:
        os.close(self.fd)
        if self.name is not None:
            try:
                self.folder.unlink(self.name)
            except FileNotFoundError:
                pass
            self.name = None


def _fchmod(temp: _Temp, mode: int) -> None:
    if hasattr(os, "fchmod"):
        os.fchmod(temp.fd, mode)
    elif temp.name is not None:  # pragma: no cover - a platform without fchmod
        os.chmod(temp.folder._name(temp.name), mode)


def _temp_file(folder: _Folder, name: str, data: bytes) -> _Temp:
    fd = None
    temp_name = None
    if _TMPFILE and folder.fd is not None and os.path.isdir("/proc/self/fd"):
        try:
            fd = os.open(".", os.O_RDWR | _TMPFILE, 0o600, dir_fd=folder.fd)
        except OSError:  # a file system without anonymous files
            fd = None
    if fd is None:
        while True:
            temp_name = _temp_name(name)
            try:
                fd = folder.open(temp_name, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
                break
            except FileExistsError:  # pragma: no cover - 32 random bits
                continue
    temp = _Temp(folder, fd, temp_name, name)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        os.fsync(fd)
    except BaseException:
        temp.discard()
        raise
    return temp


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# ---------------------------------------------------------------------- the writes


def _replace(folder: _Folder, name: str, before: bytes | None, after: bytes) -> None:
    """Replace ``name`` with ``after`` if it still holds ``before``."""
    with _Original(folder, name, before, "overwritten") as original:
        if _read_only(original.info, folder, name):
            raise WriteError("the file is read-only; its fixes were not applied")
        temp = _temp_file(folder, name, after)
        try:
            temp.set_mode(original.info)
            temp_name = temp.named()
            original.check()
            folder.replace(temp_name, name)
            temp.name = None
            if original.changed_after():
                _put_back(folder, name, original, temp)
                raise WriteError("changed while djhlint wrote it; the change was kept and the fixes were not applied")
        finally:
            temp.discard()


def _put_back(folder: _Folder, name: str, original: _Original, written: _Temp) -> None:
    """A save went into the old file in the instant before the rename: put its bytes back
    at ``name``, if ``name`` is still what djhlint wrote."""
    ours = os.fstat(written.fd)
    back = _temp_file(folder, name, original.content())
    try:
        back.set_mode(original.info)
        back_name = back.named()
        now = folder.lstat(name)
        if (now.st_ino, now.st_dev) != (ours.st_ino, ours.st_dev):
            raise WriteError("changed twice while djhlint wrote it; left as it is now")
        folder.replace(back_name, name)
        back.name = None
    finally:
        back.discard()


def _delete(folder: _Folder, name: str, before: bytes | None) -> None:
    """Delete ``name`` if it is still what djhlint read."""
    with _Original(folder, name, before, "deleted") as original:
        if _read_only(original.info, folder, name):
            raise WriteError("the file is read-only; its fixes were not applied")
        original.check()
        folder.unlink(name)


def _create(spot: _Spot, data: bytes, like: os.stat_result | None = None) -> None:
    """Create ``spot`` holding ``data``, only if nothing has that name yet; with the mode
    of ``like``, or a new file's."""
    folder, name = spot.folder, spot.name
    if folder.exists(name):
        raise WriteError("already exists; not overwritten")
    temp = _temp_file(folder, name, data)
    try:
        temp.set_mode(like)
        try:
            temp.link_as(name)  # fails if the name exists: no race with another writer
        except FileExistsError:
            raise WriteError("already exists; not overwritten") from None
        except OSError:  # a file system without hard links: exclusive creation instead
            handle = folder.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
            with os.fdopen(handle, "wb") as out:
                out.write(data)
    finally:
        temp.discard()


def _move(change: FileChange, source: _Folder, target: _Folder) -> None:
    """Rename ``change.origin`` to ``change.path`` and give it ``change.after``: both or
    neither.  Never replaces another file."""
    old, new = change.origin.rsplit("/", 1)[-1], change.path.rsplit("/", 1)[-1]  # type: ignore[union-attr]
    with _Original(source, old, change.before, "overwritten") as original:
        if _read_only(original.info, source, old):
            raise WriteError("the file is read-only; its fixes were not applied")
        same_folder = source.path == target.path
        if same_folder and old.lower() == new.lower() and os.path.lexists(target.path / new):
            # Only the case changes, on a case-insensitive file system: both names are the
            # same file, and a direct rename may do nothing.  (These renames go by path: the
            # file systems that need them are macOS's and Windows'.)
            if not _same_file(source.path / old, target.path / new):
                raise WriteError("already exists; not overwritten")
            _rename_case(source.path, old, new)
            if change.after != change.before:
                try:
                    _replace(target, new, change.before, change.after or b"")
                except BaseException:
                    _rename_case(source.path, new, old)  # back as it was
                    raise
            return
        if change.after == change.before:  # a plain rename: the same file under its new name
            try:
                target.link(old, new, source)  # fails if the name exists
            except FileExistsError:
                raise WriteError("already exists; not overwritten") from None
            except OSError:
                if target.exists(new):
                    raise WriteError("already exists; not overwritten") from None
                original.check()
                os.rename(source._name(old), target._name(new), **({"src_dir_fd": source.fd, "dst_dir_fd": target.fd} if source.fd is not None else {}))
                return
            ours = target.lstat(new)
        else:  # the new file next to the old one, then the old one goes
            temp = _temp_file(target, new, change.after or b"")
            try:
                temp.set_mode(original.info)
                try:
                    temp.link_as(new)
                except FileExistsError:
                    raise WriteError("already exists; not overwritten") from None
                ours = os.fstat(temp.fd)
            finally:
                temp.discard()
        try:
            original.check()
            source.unlink(old)
        except BaseException:
            _remove_if(target, new, ours)  # the old file stays: the tree is as it was
            raise
        if change.after != change.before and original.changed_after():
            _remove_if(target, new, ours)
            _create(_Spot(source, old), original.content(), original.info)
            raise WriteError("changed while djhlint wrote it; the change was kept and the fixes were not applied")


def _remove_if(folder: _Folder, name: str, ours: os.stat_result) -> None:
    """Remove ``name`` if it is still the file djhlint made."""
    try:
        now = folder.lstat(name)
        if (now.st_ino, now.st_dev) == (ours.st_ino, ours.st_dev):
            folder.unlink(name)
    except OSError:
        pass


def _rename_case(folder: Path, old: str, new: str) -> None:
    """Rename ``old`` to ``new`` (the same name but for case) through a temporary folder;
    a run killed half way leaves the file in that folder, which ``sweep`` puts back."""
    for _ in range(100):
        temp_folder = folder / _temp_name(old)
        try:
            os.mkdir(temp_folder, 0o700)
            break
        except FileExistsError:  # pragma: no cover - 32 random bits
            continue
    temp = os.path.join(temp_folder, old)
    try:
        os.rename(folder / old, temp)
        try:
            os.rename(temp, folder / new)
        except BaseException:
            os.rename(temp, folder / old)
            raise
    finally:
        os.rmdir(temp_folder)


# ---------------------------------------------------------------------- what a killed run left


def sweep(project: Project, rels: set[str]) -> bool:
    """Remove the temporary files a killed djhlint left in the folders of ``rels`` (and
    the build root), and put back a file a killed case-only rename left in its temporary
    folder.  Only names djhlint makes, owned by this user, of a process that is gone.
    True if a file was put back."""
    if os.name != "posix":
        return False  # no safe way to ask whether a process lives
    folders = {"/".join(rel.split("/")[:-1]) for rel in rels if _safe(rel)} | {""}
    put_back = False
    for folder_rel in sorted(folders):
        try:
            with _Folder(project, f"{folder_rel}/x" if folder_rel else "x") as folder:
                put_back = _sweep_folder(folder) or put_back
        except (OSError, WriteError):
            continue
    return put_back


def _safe(rel: str) -> bool:
    return bool(rel) and not rel.startswith("/") and "\\" not in rel and all(p not in ("", ".", "..") for p in rel.split("/"))


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def _sweep_folder(folder: _Folder) -> bool:
    put_back = False
    entries = os.listdir(folder.fd if folder.fd is not None else folder.path)
    for entry in entries:
        match = _TEMP_NAME.fullmatch(entry)
        if not match or _alive(int(match["pid"])):
            continue
        info = folder.lstat(entry)
        if info.st_uid != os.geteuid():
            continue
        if stat.S_ISREG(info.st_mode):
            folder.unlink(entry)
        elif stat.S_ISDIR(info.st_mode):
            name = match["name"]
            with _Folder.inside(folder, entry) as inner:
                left = os.listdir(inner.fd if inner.fd is not None else inner.path)
                if left == [name] and not any(e.lower() == name.lower() for e in os.listdir(folder.fd if folder.fd is not None else folder.path)):
                    inner.link(name, name, folder=folder)  # the half-done case-only rename, undone
                    inner.unlink(name)
                    left, put_back = [], True
            if not left:
                os.rmdir(folder._name(entry), **folder._at())
    return put_back
