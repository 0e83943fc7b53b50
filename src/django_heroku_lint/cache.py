"""The settings-model cache: a warm run reuses what the model learned and never imports LibCST.

An entry records every input the model build touched — the digest of each file it
read and the answer to each module lookup it made (which file a dotted name resolved
to, or none) — and the model it produced, as JSON. On the next run the entry is used
only if every input still gives the same answer. Nothing in an entry is trusted: it is
plain JSON decoded into a fixed set of dataclasses, and anything unexpected (a
truncated file, another format, a type that is not ours) is a miss.

Entries are written atomically (a temporary file in the same folder, then a rename),
so two runs sharing a cache never see a half-written entry.
"""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path

from . import __version__
from . import ftypes
from .ftypes import Data, ParseError, SettingsModel, Span

try:  # hashlib loads OpenSSL (a few ms of every run) to offer BLAKE2, which CPython builds in
    from _blake2 import blake2b
except ImportError:  # a Python without the built-in module
    from hashlib import blake2b

TYPE_CHECKING = False  # typing is imported by type checkers only: djhlint starts faster without it
if TYPE_CHECKING:
    from typing import Any

FORMAT = 2
CACHE_DIR_NAME = ".djhlint_cache"
# Only the project's own plain dataclasses can come out of an entry.
TYPES: dict[str, type] = {
    name: cls
    for name, cls in vars(ftypes).items()
    if isinstance(cls, type) and dataclasses.is_dataclass(cls) and cls.__module__ == ftypes.__name__ and cls is not Span
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


def _decode(obj: Any) -> Any:
    if isinstance(obj, list):
        return [_decode(v) for v in obj]
    if not isinstance(obj, dict):
        return obj
    if "__s" in obj:
        file, line, col, end_line, end_col = obj["__s"]
        if not isinstance(file, str) or not all(isinstance(n, int) for n in (line, col, end_line, end_col)):
            raise ValueError("bad span")
        return Span(file, line, col, end_line, end_col)
    if "__tuple" in obj:
        return tuple(_decode(v) for v in obj["__tuple"])
    if "__dict" in obj:
        return {str(k): _decode(v) for k, v in obj["__dict"].items()}
    if "__t" in obj:
        cls = TYPES[obj["__t"]]  # KeyError for anything that is not ours: a miss
        names = {f.name for f in dataclasses.fields(cls)}
        fields = {k: _decode(v) for k, v in obj.items() if k != "__t"}
        if set(fields) != names:
            raise ValueError("fields do not match")
        return cls(**fields)
    raise ValueError("unknown object")


# ---------------------------------------------------------------------- the cache


@dataclasses.dataclass(repr=False, eq=False)
class Entry(Data):
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
    """One folder of entries; ``None`` as the folder disables the cache."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder

    def _path(self, key: str) -> Path:
        assert self.folder is not None
        return self.folder / f"v{FORMAT}" / f"{blake2b(key.encode(), digest_size=16).hexdigest()}.json"

    @staticmethod
    def key(build_root: str, module: str, path: str, reason: str, roots: list[str]) -> str:
        return json.dumps([__version__, FORMAT, build_root, module, path, reason, roots])

    def lookup(self, key: str, project: Any, index: Any) -> Entry | None:
        if self.folder is None:
            return None
        try:
            raw = json.loads(self._path(key).read_text(encoding="utf-8"))
            if raw.get("key") != key:
                return None
            for name, path in raw["lookups"].items():
                if index.resolve(name) != path:
                    return None
            for path, expected in raw["files"].items():
                data = project.read(path)
                if (digest(data) if isinstance(data, bytes) else None) != expected:
                    return None
            settings = _decode(raw["settings"])
            errors = _decode(raw["errors"])
            noqa = {
                path: {int(line): (frozenset(codes) if codes is not None else None) for line, codes in lines}
                for path, lines in raw["noqa"].items()
            }
            if settings is not None and not isinstance(settings, SettingsModel):
                return None
            if not all(isinstance(e, ParseError) for e in errors):
                return None
            return Entry(settings, errors, noqa)
        except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
            return None  # a missing, stale or corrupt entry is a miss, never an error

    def store(self, key: str, recorder: Recorder, entry: Entry) -> None:
        if self.folder is None:
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
            text = json.dumps(payload, separators=(",", ":"))
        except (TypeError, ValueError, RecursionError):
            return
        target = self._path(key)
        try:
            _prepare(self.folder)
            target.parent.mkdir(parents=True, exist_ok=True)
            import tempfile  # only when writing: a warm run never needs it

            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=".json")
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as handle:
                    handle.write(text)
                os.replace(tmp, target)
            except BaseException:
                try:
                    os.unlink(tmp)
                except OSError:
                    pass
                raise
        except OSError:
            return  # a read-only checkout: run without storing


def _prepare(folder: Path) -> None:
    """Create the cache folder with a .gitignore, so it never shows up as a file to commit."""
    if (folder / ".gitignore").exists():
        return
    folder.mkdir(parents=True, exist_ok=True)
    (folder / ".gitignore").write_text("# Created by djhlint: this folder is a cache.\n*\n", encoding="utf-8")
    (folder / "CACHEDIR.TAG").write_text(
        "Signature: 8a477f597d28d172789f06886806bc55\n# This file is a cache directory tag created by djhlint.\n",
        encoding="utf-8",
    )
