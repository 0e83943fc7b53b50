"""Signed cache entries, kept without following links: what the settings-model cache and the replay of a check run store.

An entry is a JSON payload stored under a key in a cache folder (``.djhlint_cache`` in
the build root, or ``--cache-dir``), in its ``v{FORMAT}`` subfolder. This module knows
how entries are signed, named, read and written, and nothing of what they hold: it
imports nothing of the settings model, so a run that replays its stored output loads
neither it nor LibCST.

djhlint runs on repositories it does not trust, and a cache folder may be committed,
planted or shared, so:

- An entry is trusted only if this user's djhlint wrote it: it carries a keyed BLAKE2
  MAC made with a per-user secret kept outside every project (in the user's cache
  home, see :func:`user_secret`). An entry without a valid MAC — committed, copied from
  another user, crafted, truncated — is a miss. With no private secret to be had, the
  cache is off.
- Every file and folder of the cache is opened relative to an open folder (``dir_fd``)
  and without following a symbolic link, so a link in the cache — or a folder swapped
  for a link between a check and a use — never redirects a read or a write. Entries
  are read only as regular files of bounded size (a FIFO or a device is a miss).
- djhlint writes ``.gitignore`` and ``CACHEDIR.TAG`` only into a cache folder it has
  just created itself, never into a folder that was already there; the ``v3/``
  subfolder of entries, when djhlint creates it, gets a ``.gitignore`` of its own.

Entries are written atomically (a new temporary file in the same folder, then a
rename), so two runs sharing a cache never see a half-written entry.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

try:  # hashlib loads OpenSSL (a few ms of every run) to offer BLAKE2, which CPython builds in
    from _blake2 import blake2b
except ImportError:  # a Python without the built-in module
    from hashlib import blake2b
try:  # hmac's compare_digest, without importing hashlib
    from _operator import _compare_digest
except ImportError:
    from hmac import compare_digest as _compare_digest  # type: ignore[no-redef]

TYPE_CHECKING = False  # typing is imported by type checkers only: djhlint starts faster without it
if TYPE_CHECKING:
    from typing import Any

FORMAT = 3  # 3: entries carry a MAC
CACHE_DIR_NAME = ".djhlint_cache"
MAX_ENTRY = 64 * 1024 * 1024  # bytes: an entry is read whole, so a larger file is a miss


def digest(data: bytes) -> str:
    return blake2b(data, digest_size=16).hexdigest()


def entry_name(key: str) -> str:
    """The file name of the entry stored under ``key``."""
    return f"{blake2b(key.encode(), digest_size=16).hexdigest()}.json"


# ---------------------------------------------------------------------- signed entries


def read_payload(folder: Path, key: str) -> bytes | None:
    """The payload stored under ``key`` in ``folder``, if this user's secret signed it.

    None for a missing, foreign, truncated or unreadable entry, a link, or when there
    is no secret: never an error.
    """
    secret = user_secret()
    if secret is None:
        return None
    try:
        content = _read_entry(folder, entry_name(key))
    except (OSError, ValueError):  # missing, a link, not a regular file, too large; a bad folder name
        return None
    mac, newline, payload = content.partition(b"\n")
    if not newline or not _compare_digest(mac, _mac(secret, payload)):
        return None  # not written by this user's djhlint: never trusted
    return payload


def write_payload(folder: Path, key: str, body: bytes) -> None:
    """Store ``body`` under ``key`` in ``folder``, signed; nothing when it cannot be."""
    secret = user_secret()
    if secret is None:
        return
    if len(body) + 65 > MAX_ENTRY:  # the MAC, in hex, and a newline come first
        return
    try:
        _write_entry(folder, entry_name(key), _mac(secret, body) + b"\n" + body)
    except OSError:
        return  # a read-only checkout, a link in the way: run without storing


def read_signed(folder: Path, key: str) -> Any:
    """The JSON value :func:`write_signed` stored under ``key`` in ``folder``, or None.

    The entry is read, and trusted, as a settings-model entry is: signed by this user's
    secret, never through a link. A missing, foreign or corrupt entry is None.
    """
    payload = read_payload(folder, key)
    if payload is None:
        return None
    try:
        raw = json.loads(payload)
        return raw["value"] if raw.get("key") == key else None
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError):
        return None


def write_signed(folder: Path, key: str, value: Any) -> None:
    """Store a JSON value under ``key`` in ``folder``, signed; nothing when it cannot be."""
    if user_secret() is None:
        return
    try:
        body = json.dumps({"key": key, "value": value}, separators=(",", ":")).encode("utf-8")
    except (TypeError, ValueError, RecursionError):
        return
    write_payload(folder, key, body)


# ---------------------------------------------------------------------- files, without following links

_O_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_O_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
_O_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_O_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
# Without these (Windows), a link in the cache could redirect a write: no cache there.
SUPPORTED = bool(_O_NOFOLLOW and _O_DIRECTORY and os.open in os.supports_dir_fd and hasattr(os, "getuid"))
_DIR = os.O_RDONLY | _O_DIRECTORY | _O_NOFOLLOW | _O_CLOEXEC


def _open_dir(name: str, dir_fd: int | None = None) -> int:
    """An fd of the folder ``name`` (relative to ``dir_fd``); OSError if it is a link or not a folder."""
    return os.open(name, _DIR, dir_fd=dir_fd)


def _open_cache(folder: Path, create: bool) -> tuple[int, bool]:
    """An fd of the cache folder, and whether this call created it."""
    parent, name = os.path.split(os.path.abspath(folder))
    if create:
        os.makedirs(parent, exist_ok=True)  # the parents of a folder the user named
    parent_fd = os.open(parent, os.O_RDONLY | _O_DIRECTORY | _O_CLOEXEC)
    try:
        created = False
        if create:
            try:
                os.mkdir(name, dir_fd=parent_fd)  # a link, even dangling, is not replaced
                created = True
            except FileExistsError:
                pass
        return _open_dir(name, parent_fd), created
    finally:
        os.close(parent_fd)


def _read_regular(name: str, dir_fd: int, limit: int) -> bytes:
    """The bytes of the regular file ``name``; OSError for a link, a FIFO, a device, a larger file."""
    fd = os.open(name, os.O_RDONLY | _O_NOFOLLOW | _O_NONBLOCK | _O_CLOEXEC, dir_fd=dir_fd)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
            raise OSError(f"{name}: not a regular file of at most {limit} bytes")
        chunks = []
        size = 0
        while size <= limit:
            chunk = os.read(fd, limit + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:  # it grew since fstat
            raise OSError(f"{name}: larger than {limit} bytes")
        return b"".join(chunks)
    finally:
        os.close(fd)


def _write_new(name: str, dir_fd: int, data: bytes, mode: int = 0o600) -> None:
    """Create ``name`` in ``dir_fd`` holding ``data``; fails if anything (a link too) is there."""
    fd = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _O_NOFOLLOW | _O_CLOEXEC, mode, dir_fd=dir_fd)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


def _read_entry(folder: Path, name: str) -> bytes:
    cache_fd, _ = _open_cache(folder, create=False)
    try:
        sub_fd = _open_dir(f"v{FORMAT}", cache_fd)
    finally:
        os.close(cache_fd)
    try:
        return _read_regular(name, sub_fd, MAX_ENTRY)
    finally:
        os.close(sub_fd)


def _write_entry(folder: Path, name: str, data: bytes) -> None:
    cache_fd, created = _open_cache(folder, create=True)
    try:
        if created:  # only a folder djhlint made itself gets these, never one of the user's
            _prepare(cache_fd)
        try:
            os.mkdir(f"v{FORMAT}", dir_fd=cache_fd)
            made = True
        except FileExistsError:
            made = False
        sub_fd = _open_dir(f"v{FORMAT}", cache_fd)
    finally:
        os.close(cache_fd)
    if made:
        # The entries hold what the settings hold, secrets included: git ignores them even in a
        # folder the user named (--cache-dir), which gets no .gitignore of djhlint's at its top.
        try:
            _write_new(".gitignore", sub_fd, b"# Created by djhlint: this folder is a cache.\n*\n", 0o644)
        except OSError:
            os.close(sub_fd)
            raise
    try:
        tmp = f".tmp-{os.urandom(8).hex()}.json"
        _write_new(tmp, sub_fd, data)
        try:
            os.replace(tmp, name, src_dir_fd=sub_fd, dst_dir_fd=sub_fd)  # replaces a link, never follows it
        except BaseException:
            try:
                os.unlink(tmp, dir_fd=sub_fd)
            except OSError:
                pass
            raise
    finally:
        os.close(sub_fd)


def _prepare(cache_fd: int) -> None:
    """Mark a cache folder djhlint just created: a .gitignore, so it never shows up as a file to commit."""
    _write_new(".gitignore", cache_fd, b"# Created by djhlint: this folder is a cache.\n*\n", 0o644)
    _write_new(
        "CACHEDIR.TAG",
        cache_fd,
        b"Signature: 8a477f597d28d172789f06886806bc55\n# This file is a cache directory tag created by djhlint.\n",
        0o644,
    )


# ---------------------------------------------------------------------- the per-user secret

SECRET_SIZE = 32
_secret: list[bytes | None] = []  # read once per process


def _mac(secret: bytes, payload: bytes) -> bytes:
    return blake2b(payload, key=secret, digest_size=32, person=b"djhlint-entry").hexdigest().encode("ascii")


def secret_dir() -> str | None:
    """Where the per-user secret lives: ``$XDG_CACHE_HOME/djhlint`` or ``~/.cache/djhlint``.

    Never inside a project: a relative ``XDG_CACHE_HOME`` (which would be resolved from
    the current folder) is ignored, as the XDG specification says.
    """
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):
        home = os.path.expanduser("~")
        if not os.path.isabs(home):
            return None
        base = os.path.join(home, ".cache")
    return os.path.join(base, "djhlint")


def user_secret() -> bytes | None:
    """This user's secret key for cache entries, created on first use; None if no private one can be had."""
    if not _secret:
        try:
            _secret.append(_load_secret() if SUPPORTED else None)
        except OSError:
            _secret.append(None)
    return _secret[0]


def _private(info: os.stat_result, mask: int) -> bool:
    return info.st_uid == os.getuid() and not info.st_mode & mask


def _load_secret() -> bytes | None:
    folder = secret_dir()
    if folder is None:
        return None
    try:
        dir_fd = _open_dir(folder)
    except FileNotFoundError:
        parent = os.path.dirname(folder)
        os.makedirs(parent, mode=0o700, exist_ok=True)
        try:
            os.mkdir(folder, 0o700)
        except FileExistsError:
            pass
        dir_fd = _open_dir(folder)
    try:
        if not _private(os.fstat(dir_fd), 0o022):  # nobody else may replace the secret
            return None
        try:
            data = _read_secret(dir_fd)
        except FileNotFoundError:
            tmp = f".secret-{os.urandom(8).hex()}"
            _write_new(tmp, dir_fd, os.urandom(SECRET_SIZE))
            try:
                os.link(tmp, "secret", src_dir_fd=dir_fd, dst_dir_fd=dir_fd, follow_symlinks=False)
            except FileExistsError:
                pass  # another run made it first: use theirs
            finally:
                os.unlink(tmp, dir_fd=dir_fd)
            data = _read_secret(dir_fd)
        return data
    finally:
        os.close(dir_fd)


def _read_secret(dir_fd: int) -> bytes | None:
    fd = os.open("secret", os.O_RDONLY | _O_NOFOLLOW | _O_NONBLOCK | _O_CLOEXEC, dir_fd=dir_fd)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or not _private(info, 0o077) or info.st_size != SECRET_SIZE:
            return None
        data = os.read(fd, SECRET_SIZE + 1)
        return data if len(data) == SECRET_SIZE else None
    finally:
        os.close(fd)
