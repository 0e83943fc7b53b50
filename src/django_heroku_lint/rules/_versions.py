"""Reading the version files as Heroku does: shared by the DJH4xx rules."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..ftypes import Span
from ..read.records import VersionFile
from .context import Context
from ..read.pythons import parse_version

RUNTIME_RE = re.compile(r"^python-(?P<version>\d+\.\d+(?:\.\d+)?)$")
ORDER = ("runtime.txt", ".python-version")  # the order Heroku reads them in, then Pipfile.lock


@dataclass
class Requested:
    """The Python version a file asks for."""

    file: str
    text: str  # as written
    major_minor: tuple[int, int]
    span: Span


def version_lines(entry: VersionFile) -> list[tuple[str, Span]]:
    """The version lines, without an inline ``# comment``."""
    return [(_before_comment(text).strip(), span) for text, span in entry.versions]


def _before_comment(text: str) -> str:
    """The text before the first ``#`` that follows whitespace (found without a regex: ``\\s+#``
    rescans a long run of blanks from each of its characters)."""
    index = text.find("#", 1)
    while index != -1:
        if text[index - 1].isspace():
            return text[:index]
        index = text.find("#", index + 1)
    return text


def requested(entry: VersionFile) -> Requested | None:
    """What a well-formed version file asks for; None when Heroku would reject the file."""
    if entry.encoding_error or entry.bom or entry.unreadable:
        return None
    lines = version_lines(entry)
    if len(lines) != 1:
        return None
    text, span = lines[0]
    if entry.path == "runtime.txt":
        match = RUNTIME_RE.match(text)
        version = parse_version(match.group("version")) if match else None
    else:
        version = parse_version(text)
    return Requested(entry.path, text, version, span) if version else None


def used_version(ctx: Context) -> Requested | None:
    """The version Heroku builds with, from the first file it reads; None when unknown."""
    for name in ORDER:
        if name in ctx.version_files:
            return requested(ctx.version_files[name])
    if ctx.pipfile_lock_python:
        version = parse_version(ctx.pipfile_lock_python)
        if version:
            return Requested("Pipfile.lock", ctx.pipfile_lock_python, version, ctx.pipfile_lock_python_span or Span("Pipfile.lock"))
    return None
