"""The settings-model cache: a warm run reuses what the model learned and never imports LibCST.

An entry records every input the model build touched — the digest of each file it
read and the answer to each module lookup it made (which file a dotted name resolved
to, or none) — and the model it produced, as JSON. On the next run the entry is used
only if every input still gives the same answer.

Entries are kept by :mod:`store`: signed with this user's secret, read and written
without following links. An entry is a miss unless this user's djhlint signed it, and
also when its MAC is valid but its content is not what we write (a type that is not
ours, a span naming a file outside the build): the MAC is the lock, the decoding
checks here are defence in depth.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from .. import __version__
from .. import ftypes
from . import values
from ..ftypes import ParseError, Span
from ..read.python import NOQA_RE
from ..store import FORMAT, digest, read_payload, user_secret, write_payload
from .values import SettingsModel

TYPE_CHECKING = False  # typing is imported by type checkers only: djhlint starts faster without it
if TYPE_CHECKING:
    from typing import Any

# Only the project's own plain dataclasses can come out of an entry.
TYPES: dict[str, type] = {
    name: cls
    for module in (ftypes, values)
    for name, cls in vars(module).items()
    if isinstance(cls, type) and dataclasses.is_dataclass(cls) and cls.__module__ == module.__name__ and cls is not Span
}


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
        self.in_git = getattr(loader, "in_git", False)

    def resolve(self, name: str) -> str | None:
        path = self.loader.resolve(name)
        self.lookups[name] = path
        return path

    def is_package(self, path: str) -> bool:
        return self.loader.is_package(path)

    def committed(self, path: str) -> bool:
        return self.loader.committed(path)  # git's answer is in the entry's key

    def config_files(self) -> frozenset[str]:
        return self.loader.config_files()  # in the entry's key

    def config_file(self, path: str, reader: str) -> Any:
        data = self.loader.project.read(path)
        self.files[path] = digest(data) if isinstance(data, bytes) else None
        return self.loader.config_file(path, reader)

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
    def key(build_root: str, module: str, path: str, reason: str, roots: list[Any]) -> str:
        # The noqa grammar is part of the key: an entry's noqa comments were read with it.
        return json.dumps([__version__, FORMAT, NOQA_RE.pattern, build_root, module, path, reason, roots])

    def lookup(self, key: str, project: Any, index: Any) -> Entry | None:
        if self.folder is None:
            return None
        payload = read_payload(self.folder, key)  # None unless this user's djhlint signed it
        if payload is None:
            return None
        try:
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
        if self.folder is None or user_secret() is None:
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
        write_payload(self.folder, key, body)

