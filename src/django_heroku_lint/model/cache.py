"""The settings-model cache: a warm run reuses what the model learned and never imports LibCST.

An entry records every input the model build touched — the digest of each file it
read and the answer to each module lookup it made (which file a dotted name resolved
to, or none) — and the model it produced, as JSON. On the next run the entry is used
only if every input still gives the same answer.

djhlint runs on repositories it does not trust, and a cache folder may be committed,
planted or shared, so:

- An entry is trusted only if this user's djhlint wrote it: it carries a keyed BLAKE2
  MAC made with a per-user secret kept outside every project (in the user's cache
  home, see :func:`user_secret`). An entry without a valid MAC — committed, copied from
  another user, crafted, truncated — is a miss, and so is an entry whose MAC is valid
  but whose content is not what we write (a type that is not ours, a span naming a file
  outside the build): the MAC is the lock, the decoding checks are defence in depth.
  With no private secret to be had, the cache is off.
- Every file and folder of the cache is opened relative to an open folder (``dir_fd``)
  and without following a symbolic link, so a link in the cache — or a folder swapped
  for a link between a check and a use — never redirects a read or a write. Entries
  are read only as regular files of bounded size (a FIFO or a device is a miss).
- djhlint writes ``.gitignore`` and ``CACHEDIR.TAG`` only into a cache folder it has
  just created itself, never into a folder that was already there.

Entries are written atomically (a new temporary file in the same folder, then a
rename), so two runs sharing a cache never see a half-written entry.
"""

from __future__ import annotations

import dataclasses
import json
import os
import stat
from pathlib import Path

from .. import __version__
from .. import ftypes
from . import values
from ..ftypes import ParseError, Span
from .values import SettingsModel

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
# Only the project's own plain dataclasses can come out of an entry.
TYPES: dict[str, type] = {
    name: cls
    for module in (ftypes, values)
    for name, cls in vars(module).items()
    if isinstance(cls, type) and dataclasses.is_dataclass(cls) and cls.__module__ == module.__name__ and cls is not Span
}


def digest(data: bytes) -> str:
    return blake2b(data, digest_size=16).hexdigest()


# ---------------------------------------------------------------------- JSON codec


def _encode(obj: Any) -> Any:
    if isinstance(obj, Span):
        return {"__s": [obj.file, obj.line, obj.col, obj.end_line, obj.end_col]}
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        name = type(obj).__name__
        if name not in TYPES:
            raise TypeError(f"cannot cache {name}")
        return {"__t": name, **{f.name: _encode(getattr(obj, f.name)) for f in dataclasses.fields(obj)}}
    if isinstance(obj, tuple):
        return {"__tuple": [_encode(v) for v in obj]}
    if isinstance(obj, list):
        return [_encode(v) for v in obj]
    if isinstance(obj, dict):
        if not all(isinstance(k, str) for k in obj):
            raise TypeError("cannot cache a dict with non-string keys")
        return {"__dict": {k: _encode(v) for k, v in obj.items()}}
    if obj is None or isinstance(obj, (str, int, float, bool)):
        return obj
    raise TypeError(f"cannot cache {type(obj).__name__}")


def _inside(file: Any) -> bool:
    """Whether ``file`` is a path relative to the build root that stays inside it."""
    return (
        isinstance(file, str)
        and bool(file)
        and not file.startswith("/")
        and "\\" not in file
        and "\0" not in file
        and all(part not in ("", ".", "..") for part in file.split("/"))
    )


def _decode(obj: Any, files: set[str]) -> Any:
    """The value ``obj`` encodes; the file of every span goes into ``files``."""
    if isinstance(obj, list):
        return [_decode(v, files) for v in obj]
    if not isinstance(obj, dict):
        return obj
    if "__s" in obj:
        file, line, col, end_line, end_col = obj["__s"]
        if not _inside(file) or not all(isinstance(n, int) for n in (line, col, end_line, end_col)):
            raise ValueError("bad span")
        files.add(file)
        return Span(file, line, col, end_line, end_col)
    if "__tuple" in obj:
        return tuple(_decode(v, files) for v in obj["__tuple"])
    if "__dict" in obj:
        return {str(k): _decode(v, files) for k, v in obj["__dict"].items()}
    if "__t" in obj:
        cls = TYPES[obj["__t"]]  # KeyError for anything that is not ours: a miss
        names = {f.name for f in dataclasses.fields(cls)}
        fields = {k: _decode(v, files) for k, v in obj.items() if k != "__t"}
        if set(fields) != names:
            raise ValueError("fields do not match")
        return cls(**fields)
    raise ValueError("unknown object")


# ---------------------------------------------------------------------- the cache


@dataclasses.dataclass(frozen=True, slots=True)
class Entry:
    """What the settings model learned from a chain of modules: what the cache stores."""

    settings: SettingsModel | None
    errors: list[ParseError]
    noqa: dict[str, dict[int, frozenset[str] | None]]


class Recorder:
    """Wraps the model's module loader and writes down every input it gives out."""

    def __init__(self, loader: Any) -> None:
        self.loader = loader
        self.files: dict[str, str | None] = {}  # path -> digest (None: unreadable)
        self.lookups: dict[str, str | None] = {}  # dotted name -> resolved path

    def resolve(self, name: str) -> str | None:
        path = self.loader.resolve(name)
        self.lookups[name] = path
        return path

    def is_package(self, path: str) -> bool:
        return self.loader.is_package(path)

    def load(self, path: str) -> Any:
        data = self.loader.project.read(path)
        self.files[path] = digest(data) if isinstance(data, bytes) else None
        return self.loader.load(path)


class SettingsCache:
    """One folder of entries; ``None`` as the folder disables the cache.

    The folder's parents are taken as given (the user named them); the folder itself,
    its format subfolder and every entry are opened without following a link.
    """

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder

    @staticmethod
    def _name(key: str) -> str:
        return f"{blake2b(key.encode(), digest_size=16).hexdigest()}.json"

    @staticmethod
    def key(build_root: str, module: str, path: str, reason: str, roots: list[str]) -> str:
        return json.dumps([__version__, FORMAT, build_root, module, path, reason, roots])

    def lookup(self, key: str, project: Any, index: Any) -> Entry | None:
        if self.folder is None:
            return None
        secret = user_secret()
        if secret is None:
            return None
        try:
            content = _read_entry(self.folder, self._name(key))
            mac, newline, payload = content.partition(b"\n")
            if not newline or not _compare_digest(mac, _mac(secret, payload)):
                return None  # not written by this user's djhlint: never trusted
            raw = json.loads(payload)
            if raw.get("key") != key:
                return None
            for name, path in raw["lookups"].items():
                if path is not None and not _inside(path):
                    return None
                if index.resolve(name) != path:
                    return None
            for path, expected in raw["files"].items():
                if not _inside(path):
                    return None
                data = project.read(path)
                if (digest(data) if isinstance(data, bytes) else None) != expected:
                    return None
            spans: set[str] = set()
            settings = _decode(raw["settings"], spans)
            errors = _decode(raw["errors"], spans)
            noqa = {
                path: {int(line): (frozenset(codes) if codes is not None else None) for line, codes in lines}
                for path, lines in raw["noqa"].items()
            }
            if settings is not None and not isinstance(settings, SettingsModel):
                return None
            if not all(isinstance(e, ParseError) for e in errors):
                return None
            if not all(map(_inside, noqa)) or not spans <= project.files.union(raw["files"]):
                return None
            return Entry(settings, errors, noqa)
        except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
            return None  # a missing, stale or corrupt entry is a miss, never an error

    def store(self, key: str, recorder: Recorder, entry: Entry) -> None:
        if self.folder is None:
            return
        secret = user_secret()
        if secret is None:
            return
        try:
            payload = {
                "key": key,
                "lookups": recorder.lookups,
                "files": recorder.files,
                "settings": _encode(entry.settings),
                "errors": _encode(entry.errors),
                "noqa": {
                    path: [[line, sorted(codes) if codes is not None else None] for line, codes in lines.items()]
                    for path, lines in entry.noqa.items()
                },
            }
            body = json.dumps(payload, separators=(",", ":")).encode("utf-8")
        except (TypeError, ValueError, RecursionError):
            return
        if len(body) + 65 > MAX_ENTRY:  # the MAC, in hex, and a newline come first
            return
        try:
            _write_entry(self.folder, self._name(key), _mac(secret, body) + b"\n" + body)
        except OSError:
            return  # a read-only checkout, a link in the way: run without storing


def read_signed(folder: Path, key: str) -> Any:
    """The JSON value :func:`write_signed` stored under ``key`` in ``folder``, or None.

    The entry is read, and trusted, as a settings-model entry is: signed by this user's
    secret, never through a link. A missing, foreign or corrupt entry is None.
    """
    secret = user_secret()
    if secret is None:
        return None
    try:
        content = _read_entry(folder, SettingsCache._name(key))
        mac, newline, payload = content.partition(b"\n")
        if not newline or not _compare_digest(mac, _mac(secret, payload)):
            return None
        raw = json.loads(payload)
        return raw["value"] if raw.get("key") == key else None
    except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        return None


def write_signed(folder: Path, key: str, value: Any) -> None:
    """Store a JSON value under ``key`` in ``folder``, signed; nothing when it cannot be."""
    secret = user_secret()
    if secret is None:
        return
    try:
        body = json.dumps({"key": key, "value": value}, separators=(",", ":")).encode("utf-8")
    except (TypeError, ValueError, RecursionError):
        return
    if len(body) + 65 > MAX_ENTRY:  # the MAC, in hex, and a newline come first
        return
    try:
        _write_entry(folder, SettingsCache._name(key), _mac(secret, body) + b"\n" + body)
    except OSError:
        return  # a read-only checkout, a link in the way: run without storing


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
        except FileExistsError:
            pass
        sub_fd = _open_dir(f"v{FORMAT}", cache_fd)
    finally:
        os.close(cache_fd)
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
