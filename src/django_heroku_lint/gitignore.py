"""``.gitignore`` matching, for the files git would commit when djhlint cannot ask git.

Inside a git repository discovery lists what git lists, which already honours every
ignore file; this matcher explains *why* a file is or is not ignored (which line), and
decides on its own outside git.  It follows gitignore(5): ``#`` comments only at the
start of a line, trailing spaces dropped unless escaped, ``!`` negation, a leading or
middle ``/`` anchoring the pattern to the file's folder, a trailing ``/`` for folders,
``*``, ``?``, ``[...]`` and ``**``; a file inside an ignored folder stays ignored.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass

from .ftypes import Data, Span

TRAILING_COMMENT_RE = re.compile(r"^(?P<pattern>\S.*?)[ \t]+#")


@dataclass(repr=False, eq=False)
class IgnorePattern(Data):
    """One line of a .gitignore, compiled."""

    base: str  # the folder of the .gitignore, relative to the build root ("" for the root)
    text: str  # the pattern as written, without the trailing spaces git drops
    negated: bool
    dir_only: bool
    regex: re.Pattern[str]
    span: Span  # the line in the .gitignore


def _translate(pattern: str) -> str:
    out, index, length = [], 0, len(pattern)
    while index < length:
        char = pattern[index]
        if char == "*":
            if pattern.startswith("**", index):
                at_start = index == 0 or pattern[index - 1] == "/"
                if at_start and index + 2 == length:
                    out.append(".*")
                    index += 2
                    continue
                if at_start and pattern.startswith("/", index + 2):
                    out.append("(?:.*/)?")
                    index += 3
                    continue
                out.append("[^/]*")
                index += 2
                continue
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif char == "[":
            close = pattern.find("]", index + 2 if pattern.startswith(("[!", "[^"), index) else index + 1)
            if close == -1:
                out.append(re.escape(char))
            else:
                body = pattern[index + 1 : close]
                if body.startswith("!"):
                    body = "^" + body[1:]
                out.append("[" + body.replace("\\", "\\\\") + "]")
                index = close
        elif char == "\\" and index + 1 < length:
            out.append(re.escape(pattern[index + 1]))
            index += 2
            continue
        else:
            out.append(re.escape(char))
        index += 1
    return "".join(out)


def compile_pattern(line: str, base: str, span: Span) -> IgnorePattern | None:
    """One line of a ``.gitignore`` as a pattern; None for blank lines and comments."""
    line = line.rstrip("\r\n")
    if line.startswith("\ufeff"):
        line = line[1:]
    stripped = re.sub(r"(?<!\\) +$", "", line)
    if not stripped or stripped.startswith("#"):
        return None
    negated = stripped.startswith("!")
    if negated:
        stripped = stripped[1:]
    elif stripped.startswith("\\!") or stripped.startswith("\\#"):
        stripped = stripped[1:]
    dir_only = stripped.endswith("/") and not stripped.endswith("\\/")
    body = stripped.rstrip("/") if dir_only else stripped
    if not body:
        return None
    anchored = "/" in body
    body = body.lstrip("/")
    prefix = re.escape(base + "/") if base else ""
    translated = _translate(body)
    regex = f"^{prefix}{translated}$" if anchored else f"^{prefix}(?:.*/)?{translated}$"
    try:
        compiled = re.compile(regex, re.DOTALL)
    except re.error:
        return None
    return IgnorePattern(base, line.rstrip(" "), negated, dir_only, compiled, span)


class GitIgnore:
    """The patterns of every ``.gitignore`` of the build, shallow files first."""

    def __init__(self) -> None:
        self.patterns: list[IgnorePattern] = []
        self.lines: list[tuple[str, Span]] = []  # every non-comment line, for the comment trap

    @property
    def present(self) -> bool:
        return bool(self.lines) or bool(self.patterns)

    def add_file(self, rel: str, text: str) -> None:
        base = posixpath.dirname(rel)
        for number, line in enumerate(text.splitlines(), start=1):
            span = Span(rel, number, 1, number, len(line) + 1)
            pattern = compile_pattern(line, base, span)
            if pattern is not None:
                self.patterns.append(pattern)
                self.lines.append((line, span))

    def _last_match(self, path: str, is_dir: bool) -> IgnorePattern | None:
        found = None
        for pattern in self.patterns:
            if pattern.dir_only and not is_dir:
                continue
            if pattern.base and not path.startswith(pattern.base + "/"):
                continue
            if pattern.regex.match(path):
                found = pattern
        return found

    def ignored_by(self, path: str, is_dir: bool = False) -> Span | None:
        """The line that ignores ``path`` (a file, or a folder when ``is_dir``), or None."""
        parts = path.split("/")
        for depth in range(1, len(parts)):
            parent = self._last_match("/".join(parts[:depth]), True)
            if parent is not None and not parent.negated:
                return parent.span  # git never looks inside an ignored folder
        found = self._last_match(path, is_dir)
        return found.span if found is not None and not found.negated else None

    def comment_trap(self, path: str, is_dir: bool = False) -> Span | None:
        """A line like ``.env  # secrets`` that would ignore ``path`` without its comment."""
        for line, span in self.lines:
            match = TRAILING_COMMENT_RE.match(line)
            if not match or line.lstrip().startswith("#"):
                continue
            pattern = compile_pattern(match.group("pattern"), posixpath.dirname(span.file), span)
            if pattern is None or pattern.negated or (pattern.dir_only and not is_dir):
                continue
            if pattern.base and not path.startswith(pattern.base + "/"):
                continue
            if pattern.regex.match(path):
                return span
        return None
