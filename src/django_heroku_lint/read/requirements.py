"""The parse stage for declared packages: what Heroku will install, without installing it.

Reads, from the build root, ``requirements.txt`` (following ``-r`` includes),
``Pipfile.lock`` (or a ``Pipfile`` without one), ``poetry.lock``, ``uv.lock`` and the
dependencies of ``pyproject.toml``.  Every read goes through discovery; a file that
cannot be read becomes a :class:`ParseError` and makes the declaration incomplete,
never an exception.
"""

from __future__ import annotations

import dataclasses
import json
import posixpath
import re

from .config import toml_parser
from ..discover.projects import Project
from ..ftypes import ParseError, Span
from .records import DirectReference, Requirement, Requirements
from .python import decode_text, utf16_text

TYPE_CHECKING = False  # typing is imported by type checkers only: djhlint starts faster without it
if TYPE_CHECKING:
    from collections.abc import Callable, Collection
    from typing import Any

# The files Heroku installs from, in the order this linter names them when there are several.
LOCK_FILES = ("requirements.txt", "Pipfile.lock", "poetry.lock", "uv.lock")
MAX_INCLUDE_DEPTH = 10

# These run over files of the repository being linted: none may backtrack more than
# linearly (no two quantifiers that can take the same characters in a row), and what
# a regex would do in several passes is done with plain string methods instead.
NAME_RE = re.compile(r"^(?P<name>[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(?:\[(?P<extras>[^\]]*)\]\s*)?(?P<rest>.*)")
DIRECT_RE = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[(?P<extras>[^\]]*)\]\s*)?@")
EGG_NAME_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
BLANKS_RE = re.compile(r"\s*")
BARE_KEY_RE = re.compile(r'[^\s="]*')
ARCHIVE_RE = re.compile(r"(?:^|/)(?P<name>[A-Za-z0-9][A-Za-z0-9._]*?)-\d[^/]*\.(?:whl|tar\.gz|zip|tar\.bz2)$")
INCLUDE_RE = re.compile(r"^(?:-r|--requirement)(?:\s*=\s*|\s+|(?=[^\s=]))(?P<path>\S+)")
EDITABLE_RE = re.compile(r"^(?:-e|--editable)(?:\s*=\s*|\s+)(?P<target>\S+)")
CLAUSE_RE = re.compile(r"^\s*(?P<op>===|==|!=|~=|<=|>=|<|>)\s*(?P<version>[^\s,;]+)\s*$")
RELEASE_RE = re.compile(r"^v?(?P<release>\d+(?:\.\d+)*)(?P<wild>\.\*)?")

# Packages that bring others along when installed (so those count as declared).
PROVIDERS: dict[str, tuple[tuple[str, str | None], ...]] = {
    "whitenoise": (("django-heroku", None),),
    "dj-database-url": (("django-heroku", None),),
    "psycopg2": (("django-heroku", None),),
    "daphne": (("channels", "daphne"),),
}

MISSPELLED_STEMS = ("requirement", "requirements", "requirments", "requirment", "requierments", "requirememts")
MISSPELLED_EXTENSIONS = ("", ".txt", ".text", ".txt.txt", ".tx", ".txr", ".rtf")


def normalize(name: str) -> str:
    """PEP 503 normalisation: ``Django_Environ`` -> ``django-environ``."""
    return re.sub(r"[-_.]+", "-", name).lower()


# ------------------------------------------------------------------ versions


def release(version: str) -> tuple[int, ...] | None:
    match = RELEASE_RE.match(version.strip())
    if not match:
        return None
    return tuple(int(part) for part in match.group("release").split("."))


def _cmp(a: tuple[int, ...], b: tuple[int, ...]) -> int:
    width = max(len(a), len(b))
    a, b = a + (0,) * (width - len(a)), b + (0,) * (width - len(b))
    return (a > b) - (a < b)


def clauses(spec: str) -> list[tuple[str, str]]:
    found = []
    for part in spec.strip().strip("()").split(","):
        match = CLAUSE_RE.match(part)
        if match:
            found.append((match.group("op"), match.group("version")))
    return found


def certainly_at_least(req: Requirement, target: tuple[int, ...]) -> bool:
    """True when every version the declaration allows is ``>= target``."""
    if req.version:
        found = release(req.version)
        return found is not None and _cmp(found, target) >= 0
    for op, version in clauses(req.spec):
        found = release(version)
        if found is None:
            continue
        if op in ("==", "===", ">=", "~=") and _cmp(found, target) >= 0:
            return True
        if op == ">" and _cmp(found, target) >= 0:
            return True
    return False


def may_reach(req: Requirement, target: tuple[int, ...]) -> bool:
    """True unless the declaration certainly caps the version below ``target``."""
    if req.version:
        found = release(req.version)
        return found is None or _cmp(found, target) >= 0
    for op, version in clauses(req.spec):
        match = RELEASE_RE.match(version)
        if not match:
            continue
        found = tuple(int(p) for p in match.group("release").split("."))
        if op in ("==", "===") and match.group("wild"):
            if _cmp(found, target[: len(found)]) < 0:
                return False
        elif op in ("==", "==="):
            if _cmp(found, target) < 0:
                return False
        elif op == "<" and _cmp(found, target) <= 0:
            return False
        elif op == "<=" and _cmp(found, target) < 0:
            return False
        elif op == "~=" and len(found) >= 2:
            prefix = found[:-1]
            if _cmp(prefix, target[: len(prefix)]) < 0:
                return False
    return True


def declared(reqs: Requirements, name: str) -> Requirement | None:
    """The declaration that installs ``name``: its own, or a package that brings it along."""
    found = reqs.get(normalize(name))
    if found is not None:
        return found
    for provider, extra in PROVIDERS.get(normalize(name), ()):
        req = reqs.get(provider)
        if req is not None and (extra is None or extra in req.extras):
            return req
    return None


# ------------------------------------------------------------------ requirements.txt


def _without_comment(line: str) -> str:
    """The line without its comment: a ``#`` that starts it or follows whitespace, and that whitespace."""
    index = line.find("#")
    while index != -1:
        if index == 0:
            return ""
        if line[index - 1].isspace():
            return line[:index].rstrip()
        index = line.find("#", index + 1)
    return line


def _without_options(text: str) -> str:
    """The requirement without the per-line options after it (`` --hash=...``, `` -C key=value``):
    everything from the whitespace before a ``-`` or ``--`` and a letter, on the last line."""
    last_line = text.rfind("\n", 0, len(text) - 1)  # an option is cut only when no line follows it
    index = text.find("-", max(last_line + 1, 1))
    while index != -1:
        if text[index - 1].isspace():
            after = index + 2 if text.startswith("--", index) else index + 1
            if text[after : after + 1].isascii() and text[after : after + 1].isalpha():
                return text[:index].rstrip()
        index = text.find("-", index + 1)
    return text


def _egg(text: str) -> str | None:
    """The name in a ``#egg=name`` fragment (or ``#...&egg=name``): the last ``&egg=`` after
    the line's first ``#``, else the first ``#egg=``."""
    for line in text.split("\n"):
        first = line.find("#")
        if first == -1:
            continue
        end = len(line)
        while True:
            index = line.rfind("&egg=", first, end)
            if index == -1:
                break
            name = EGG_NAME_RE.match(line, index + 5)
            if name:
                return name.group()
            end = index
        index = line.find("#egg=", first)
        while index != -1:
            name = EGG_NAME_RE.match(line, index + 5)
            if name:
                return name.group()
            index = line.find("#egg=", index + 1)
    return None


def parse_requirement(text: str) -> tuple[str, frozenset[str], str] | None:
    """``psycopg[binary]>=3.2 ; python_version>"3.8"`` -> ("psycopg", {"binary"}, ">=3.2")."""
    text = _without_options(text).strip()
    if not text:
        return None
    direct = DIRECT_RE.match(text)
    if direct:  # name[extras] @ url
        extras = frozenset(normalize(e.strip()) for e in (direct.group("extras") or "").split(",") if e.strip())
        return normalize(direct.group("name")), extras, ""
    egg = _egg(text)
    if "://" in text or text.startswith((".", "/", "~")) or text.endswith((".whl", ".tar.gz", ".zip")):
        if egg:
            return normalize(egg), frozenset(), ""
        archive = ARCHIVE_RE.search(text.split("#", 1)[0])
        if archive:
            return normalize(archive.group("name")), frozenset(), ""
        return None
    requirement = text.split(";", 1)[0].strip()
    match = NAME_RE.match(requirement)
    if not match or match.end() != len(requirement):  # a line break in the rest (a TOML string)
        return None
    extras = frozenset(normalize(e.strip()) for e in (match.group("extras") or "").split(",") if e.strip())
    rest = match.group("rest").strip()
    spec = "" if rest.startswith("@") else rest.strip("()").strip()
    return normalize(match.group("name")), extras, spec


def _direct_target(line: str) -> str | None:
    """The path or URL a requirement line installs from (``name @ url``, a bare path,
    archive or URL); None for a name with a version."""
    text = _without_options(line).strip()
    direct = DIRECT_RE.match(text)
    if direct:
        return text[direct.end() :].strip().split(" ;", 1)[0].strip() or None
    if "://" in text or text.startswith((".", "/", "~")) or text.endswith((".whl", ".tar.gz", ".zip")):
        return text.split()[0]
    return None


def _logical_lines(text: str) -> list[tuple[int, int, str, int]]:
    """(line number, column, text, last line number) of each logical line: comments removed, ``\\`` joined."""
    result: list[tuple[int, int, str, int]] = []
    pending: list[str] = []
    start = 0
    lines = text.splitlines()
    for number, raw in enumerate(lines, start=1):
        if not pending:
            start = number
        line = _without_comment(raw)
        if line.endswith("\\"):
            pending.append(line[:-1])
            continue
        pending.append(line)
        joined = " ".join(part.strip() for part in pending).strip()
        pending = []
        if joined:
            first = lines[start - 1]
            column = len(first) - len(first.lstrip()) + 1
            result.append((start, column, joined, number))
    if pending:
        joined = " ".join(part.strip() for part in pending).strip()
        if joined:
            result.append((start, 1, joined, len(lines)))
    return result


class _Reader:
    def __init__(self, files: Collection[str], read: Callable[[str], bytes | ParseError]) -> None:
        self.files = files
        self.read = read
        self.result: Requirements | None = None
        self.errors: list[ParseError] = []
        self.seen: set[str] = set()
        self.wants_pyproject = False

    def text(self, rel: str, at: Span | None = None, report: bool = False) -> str | None:
        """The file's text; ``report`` records why it cannot be read (pip's files only)."""
        if rel not in self.files:
            if report:
                self.errors.append(ParseError(at or Span(rel), f"{rel} does not exist"))
            return None
        data = self.read(rel)
        if isinstance(data, ParseError):
            if report:
                self.errors.append(data)
            return None
        if data.startswith(b"\xef\xbb\xbf"):  # pip reads a UTF-8 byte order mark fine
            data = data[3:]
        # pip decodes a UTF-16 file by its byte order mark too (pip/_internal/utils/encoding.py,
        # auto_decode); one that does not decode as UTF-16 throughout fails it, and tools that
        # read TOML (Pipfile, pyproject.toml) take UTF-8 only.
        utf16 = utf16_text(data) if report else None
        text = utf16 if utf16 is not None else decode_text(data, rel)
        if isinstance(text, ParseError):
            if report:
                self.errors.append(text)
            return None
        return text

    def add(
        self,
        name: str,
        span: Span,
        spec: str = "",
        version: str | None = None,
        extras: frozenset[str] = frozenset(),
        marker: str | None = None,
        lines: Span | None = None,
    ) -> None:
        assert self.result is not None
        existing = self.result.packages.get(name)
        if existing is None:
            self.result.packages[name] = Requirement(name, span, spec, version, extras, marker, lines)
        elif extras - existing.extras:
            self.result.packages[name] = dataclasses.replace(existing, extras=existing.extras | extras)

    def pip_file(self, rel: str, depth: int = 0, at: Span | None = None) -> None:
        assert self.result is not None
        if rel in self.seen:
            return
        self.seen.add(rel)
        text = self.text(rel, at, report=True)
        if text is None:
            self.result.complete = False
            return
        self.result.sources.append(rel)
        folder = posixpath.dirname(rel)
        for number, column, line, last in _logical_lines(text):
            span = Span(rel, number, column, number, column + len(line.split()[0]))
            include = INCLUDE_RE.match(line)
            if include:
                target = include.group("path")
                if "://" in target or "$" in target or depth >= MAX_INCLUDE_DEPTH:
                    self.result.complete = False
                    continue
                self.pip_file(posixpath.normpath(posixpath.join(folder, target)), depth + 1, span)
                continue
            editable = EDITABLE_RE.match(line)
            if editable:
                target = editable.group("target")
                self.result.references.append(DirectReference(target, span, editable=True))
                parsed = parse_requirement(target)
                if parsed:
                    self.add(parsed[0], span)
                elif target.rstrip("/") in (".", "./"):
                    self.wants_pyproject = True
                continue
            if line.startswith("-"):
                continue  # -c, -i, --index-url, -f, --no-binary, --pre, ...: nothing installed
            if "${" in line:
                self.result.complete = False
                continue
            if line.strip().rstrip("/") in (".", "./"):
                self.wants_pyproject = True
                continue
            target = _direct_target(line)
            if target is not None:
                self.result.references.append(DirectReference(target, span))
            parsed = parse_requirement(line)
            if parsed is None:
                continue
            name, extras, spec = parsed
            requirement = _without_options(line)
            marker = requirement.split(";", 1)[1].strip() if ";" in requirement and target is None else ""
            whole = Span(rel, number, 1, last + 1, 1)
            self.add(name, Span(rel, number, column, number, column + len(line.split(";")[0].split()[0])), spec, None, extras, marker, whole)

    # -------------------------------------------------------------- other formats

    def toml(self, rel: str) -> dict[str, Any] | None:
        text = self.text(rel)
        if text is None:
            return None
        tomllib = toml_parser()
        try:
            return tomllib.loads(text)
        except (tomllib.TOMLDecodeError, RecursionError):
            return None  # the declaration is incomplete; the package manager reports the syntax

    def pipfile_lock(self, rel: str) -> None:
        assert self.result is not None
        text = self.text(rel)
        try:
            data = json.loads(text) if text is not None else None
        except (ValueError, RecursionError):  # RecursionError: nested thousands deep
            data = None
        if not isinstance(data, dict) or not isinstance(data.get("default", {}), dict):
            self.result.complete = False
            return
        self.result.sources.append(rel)
        keys = _KeyLines(rel, text or "", ":")
        for name, info in data.get("default", {}).items():
            version = info.get("version", "") if isinstance(info, dict) else ""
            version = version if isinstance(version, str) else ""
            extras = _extras(info)
            exact = version[2:] if version.startswith("==") else None
            marker = info.get("markers") if isinstance(info, dict) else None
            self.add(normalize(name), keys.span(name), version, exact, extras, marker if isinstance(marker, str) else "")

    def toml_source(self, rel: str) -> tuple[dict[str, Any], str] | None:
        """A TOML declaration and its text, counted as a source; None (and the declaration
        incomplete) when it cannot be read."""
        assert self.result is not None
        data = self.toml(rel)
        if data is None:
            self.result.complete = False
            return None
        self.result.sources.append(rel)
        return data, self.text(rel) or ""

    def pipfile(self, rel: str) -> None:
        found = self.toml_source(rel)
        if found is None:
            return
        data, text = found
        packages = data.get("packages")
        keys = _KeyLines(rel, text, "=")
        for name, value in (packages.items() if isinstance(packages, dict) else []):
            spec = _spec_of(value)
            self.add(normalize(name), keys.span(name), "" if spec == "*" else spec, None, _extras(value))

    def package_lock(self, rel: str) -> None:
        """``poetry.lock`` and ``uv.lock``: ``[[package]]`` tables with a name and a version."""
        found = self.toml_source(rel)
        if found is None:
            return
        data, text = found
        packages = data.get("package", [])
        if not isinstance(packages, list):  # `package = 5`: no [[package]] tables to read
            assert self.result is not None
            self.result.complete = False
            return
        keys = _KeyLines(rel, text, "name")
        for package in packages:
            if not isinstance(package, dict) or not isinstance(package.get("name"), str):
                continue
            groups = package.get("groups")
            if package.get("category") == "dev" or (isinstance(groups, list) and groups and "main" not in groups):
                continue  # Heroku installs the main group only
            name = package["name"]
            version = package.get("version") if isinstance(package.get("version"), str) else None
            self.add(normalize(name), keys.span(name), "", version)

    def pyproject(self, rel: str) -> None:
        assert self.result is not None
        data = self.toml(rel)
        if data is None:
            self.result.complete = False
            return
        text = self.text(rel) or ""
        project = data["project"] if isinstance(data.get("project"), dict) else {}
        dependencies = project["dependencies"] if isinstance(project.get("dependencies"), list) else []
        poetry = data.get("tool", {}).get("poetry", {}) if isinstance(data.get("tool"), dict) else {}
        poetry_deps = poetry.get("dependencies", {}) if isinstance(poetry, dict) else {}
        if not dependencies and not poetry_deps:
            return
        self.result.sources.append(rel)
        literals = _Literals(rel, text)
        for entry in dependencies:
            if isinstance(entry, str):
                parsed = parse_requirement(entry)
                if parsed:
                    marker = entry.split(";", 1)[1].strip() if ";" in entry else ""
                    self.add(parsed[0], literals.span(entry.split(";")[0].strip()), parsed[2], None, parsed[1], marker)
        keys = _KeyLines(rel, text, "=") if isinstance(poetry_deps, dict) and poetry_deps else None
        for name, value in (poetry_deps.items() if isinstance(poetry_deps, dict) else []):
            if name.lower() == "python":
                continue
            self.add(normalize(name), keys.span(name), _poetry_spec(_spec_of(value)), None, _extras(value))  # type: ignore[union-attr]


def _spec_of(value: Any) -> str:
    """A version spec written as ``"==1.0"`` or ``{version = "==1.0"}``."""
    if isinstance(value, dict):
        value = value.get("version", "")
    return value if isinstance(value, str) else ""


def _extras(value: Any) -> frozenset[str]:
    extras = value.get("extras", []) if isinstance(value, dict) else []
    return frozenset(normalize(e) for e in extras if isinstance(e, str)) if isinstance(extras, list) else frozenset()


def _poetry_spec(spec: str) -> str:
    """Poetry's ``^5.1`` and ``~5.1`` as PEP 440 lower bounds (enough for the rules' checks)."""
    spec = spec.strip()
    if spec in ("", "*"):
        return ""
    if spec[0] in "^~" and spec[1:2].isdigit():
        return ">=" + spec[1:].lstrip("=")
    if spec[0].isdigit():
        return "==" + spec
    return spec


class _KeyLines:
    """The line where each key of a declaration file first starts, from one pass over its
    lines (a search of the whole file per package is quadratic in a large lock file).

    ``kind`` is the key's shape at the start of a line: ``":"`` a JSON key (``"name":``),
    ``"="`` a TOML key, quoted or bare (``name =``), ``"name"`` a lock file's
    ``name = "..."``. Keys are compared case-insensitively."""

    def __init__(self, rel: str, text: str, kind: str) -> None:
        self.rel, self.text = rel, text
        self.starts: dict[str, int] = {}
        offset = 0
        for line in text.split("\n"):
            key = _key_at(text, offset, line, kind)
            if key is not None:
                self.starts.setdefault(key.lower(), offset)
            offset += len(line) + 1

    def span(self, name: str) -> Span:
        start = self.starts.get(name.lower())
        return Span(self.rel) if start is None else _span_at(self.rel, self.text, start)


def _key_at(text: str, offset: int, line: str, kind: str) -> str | None:
    """The key ``line`` (at ``offset`` in ``text``) starts with, or None; the blanks
    before its ``:`` or ``=`` may run over the next lines."""
    if kind == "name":
        if line[:4].lower() != "name":
            return None
        at = BLANKS_RE.match(text, offset + 4).end()  # type: ignore[union-attr]
        if text[at : at + 1] != "=":
            return None
        at = BLANKS_RE.match(text, at + 1).end()  # type: ignore[union-attr]
        if text[at : at + 1] != '"':
            return None
        line_end = text.find("\n", at)
        close = text.find('"', at + 1, line_end if line_end != -1 else len(text))
        return text[at + 1 : close] if close != -1 else None
    index = len(line) - len(line.lstrip(" \t"))
    if line[index : index + 1] == '"':
        close = line.find('"', index + 1)
        if close == -1:
            return None
        key, after = line[index + 1 : close], close + 1
    elif kind == "=":
        close = BARE_KEY_RE.match(line, index).end()  # type: ignore[union-attr]
        key, after = line[index:close], close + 1 if line[close : close + 1] == '"' else close
    else:
        return None
    at = BLANKS_RE.match(text, offset + after).end()  # type: ignore[union-attr]
    return key if text[at : at + 1] == kind else None


class _Literals:
    """Where each PEP 621 dependency string is written, searched from where the one before
    it was found (they are written in order); after a few strings not found there, the
    rest are not searched, so that a file of them costs one pass, not one per string."""

    MISSES = 8

    def __init__(self, rel: str, text: str) -> None:
        self.rel, self.text = rel, text
        self.hint = self.misses = 0
        self.lowered: str | None = None

    def span(self, literal: str) -> Span:
        if self.misses >= self.MISSES:
            return Span(self.rel)
        text = self.text
        start = text.find(literal, self.hint)
        if start == -1:
            self.misses += 1
            start = text.find(literal, 0, self.hint + len(literal))
        if start == -1:
            if self.lowered is None:
                self.lowered = text.lower()
            if len(self.lowered) == len(text):  # the same offsets when no character lowers to two
                start = self.lowered.find(literal.lower())
        if start == -1:
            return Span(self.rel)
        self.hint = start
        return _span_at(self.rel, text, start)


def _span_at(rel: str, text: str, start: int) -> Span:
    line = text.count("\n", 0, start) + 1
    line_start = text.rfind("\n", 0, start) + 1
    col = start - line_start + 1
    line_end = text.find("\n", start)
    line_text = text[line_start : line_end if line_end != -1 else len(text)]
    col += len(line_text[col - 1 :]) - len(line_text[col - 1 :].lstrip())
    return Span(rel, line, col, line, len(line_text.rstrip()) + 1)


def read_requirements(project: Project) -> tuple[Requirements | None, list[ParseError]]:
    """Everything the build root declares, and the files pip or the others cannot read."""
    root = set(project.root_files())
    present = [name for name in LOCK_FILES if name in root]
    if present:
        installer = present[0]
    elif "Pipfile" in root:
        installer = "Pipfile"
    elif "pyproject.toml" in root:
        installer = "pyproject.toml"
    else:
        return None, []
    reader = _Reader(project.files, project.read)
    reader.result = Requirements(installer=installer)
    for name in present:
        if name == "requirements.txt":
            reader.pip_file(name)
        elif name == "Pipfile.lock":
            reader.pipfile_lock(name)
        else:
            reader.package_lock(name)
    if "Pipfile" in root and "Pipfile.lock" not in root:
        reader.pipfile("Pipfile")
    if "pyproject.toml" in root:
        complete = reader.result.complete
        reader.pyproject("pyproject.toml")
        if installer != "pyproject.toml" and not reader.wants_pyproject:
            # Heroku does not install from it: a broken one leaves the declaration whole.
            reader.result.complete = complete
    result = reader.result
    if installer == "pyproject.toml" and not result.sources:
        return None, reader.errors
    return result, reader.errors


def pip_requirements(rel: str, files: Collection[str], read: Callable[[str], bytes | ParseError]) -> set[str]:
    """The names a pip requirements file requires, its ``-r`` includes followed as pip
    follows them: what ``--fix`` asks before it appends a requirement."""
    reader = _Reader(files, read)
    reader.result = Requirements(installer=rel)
    reader.pip_file(rel)
    return set(reader.result.packages)


def misnamed_requirements(root_files: list[str]) -> list[str]:
    """Root files meant to be ``requirements.txt``: ``requirement.txt``, ``requirements.text``."""
    if "requirements.txt" in root_files:
        return []
    found = []
    for name in root_files:
        lowered = name.strip().lower()
        for stem in MISSPELLED_STEMS:
            if lowered.startswith(stem) and lowered[len(stem) :] in MISSPELLED_EXTENSIONS:
                found.append(name)
                break
    return found
