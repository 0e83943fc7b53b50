"""``.gitignore`` matching, for the files git would commit when djhlint cannot ask git.

Inside a git repository discovery lists what git lists, which already honours every
ignore file; this matcher explains *why* a file is or is not ignored (which line), and
decides on its own outside git.  It follows gitignore(5): ``#`` comments only at the
start of a line, trailing spaces dropped unless escaped, ``!`` negation, a leading or
middle ``/`` anchoring the pattern to the file's folder, a trailing ``/`` for folders,
``*``, ``?``, ``[...]`` and ``**``; a file inside an ignored folder stays ignored.

Patterns come from the repository being linted, so they are matched the way git's
wildmatch reads them, on the UTF-8 bytes of the path, by a matcher that follows every
way the pattern could match at once: its time grows with the pattern's length times
the path's, never exponentially (a regex translation backtracks on ``*a*a*a*a*c``).
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass

from ..ftypes import Span

_SLASH = ord("/")
_GLOB_SPECIAL = "*?[\\"
# The bracket classes of wildmatch (POSIX, ASCII only, as git's ctype).
_CLASSES = {
    "alnum": lambda c: 48 <= c <= 57 or 65 <= c <= 90 or 97 <= c <= 122,
    "alpha": lambda c: 65 <= c <= 90 or 97 <= c <= 122,
    "blank": lambda c: c in (9, 32),
    "cntrl": lambda c: c < 32 or c == 127,
    "digit": lambda c: 48 <= c <= 57,
    "graph": lambda c: 33 <= c <= 126,
    "lower": lambda c: 97 <= c <= 122,
    "print": lambda c: 32 <= c <= 126,
    "punct": lambda c: 33 <= c <= 126 and not (48 <= c <= 57 or 65 <= c <= 90 or 97 <= c <= 122),
    "space": lambda c: c in (9, 10, 11, 12, 13, 32),
    "upper": lambda c: 65 <= c <= 90,
    "xdigit": lambda c: 48 <= c <= 57 or 65 <= c <= 70 or 97 <= c <= 102,
}

# The steps of a compiled glob: a byte, any byte but "/", a bracket (a set of bytes),
# "*" (bytes but "/"), "**" (any bytes), and "**/" (nothing, or any bytes ending in "/").
_BYTE, _ONE, _SET, _STAR, _STARS, _DIRS = range(6)


class _Abort(Exception):
    """A pattern wildmatch gives up on (an unclosed ``[``, an unknown ``[:class:]``): it matches nothing."""


class _Bracket:
    """The bytes a ``[...]`` matches: its members, ranges and classes, or all others when negated.

    Kept as written, not expanded to the 256 bytes: a .gitignore of many brackets costs
    its length to compile, not 256 times it."""

    __slots__ = ("negated", "members", "ranges", "classes")

    def __init__(self, negated: bool, members: set[int], ranges: list[tuple[int, int]], classes: list) -> None:
        self.negated, self.members, self.ranges, self.classes = negated, frozenset(members), tuple(ranges), tuple(classes)

    def __contains__(self, byte: int) -> bool:
        if byte == _SLASH:
            return False
        found = byte in self.members or any(low <= byte <= high for low, high in self.ranges) or any(test(byte) for test in self.classes)
        return found != self.negated


def _bracket(pattern: bytes, index: int) -> tuple[_Bracket, int]:
    """The ``[...]`` starting at ``pattern[index]``, and the index of its ``]``.

    Read as git's wildmatch reads it: ``!`` or ``^`` negates, a ``]`` first is a member,
    ``\\`` escapes, ``a-z`` ranges and ``[:alpha:]`` classes; "/" never matches."""
    length = len(pattern)
    index += 1
    if index >= length:
        raise _Abort
    negated = pattern[index] in b"!^"
    if negated:
        index += 1
    members: set[int] = set()
    ranges: list[tuple[int, int]] = []
    classes: list = []
    previous = 0
    first = True
    while True:
        if index >= length:
            raise _Abort
        char = pattern[index]
        if char == 0x5D and not first:  # "]"
            break
        first = False
        if char == 0x5C:  # "\\"
            index += 1
            if index >= length:
                raise _Abort
            char = pattern[index]
            members.add(char)
        elif char == 0x2D and previous and index + 1 < length and pattern[index + 1] != 0x5D:  # "a-z"
            index += 1
            high = pattern[index]
            if high == 0x5C:
                index += 1
                if index >= length:
                    raise _Abort
                high = pattern[index]
            ranges.append((previous, high))
            char = 0
        elif char == 0x5B and index + 1 < length and pattern[index + 1] == 0x3A:  # "[:"
            close = pattern.find(b"]", index + 2)
            if close == -1:
                raise _Abort
            name = pattern[index + 2 : close]
            if not name.endswith(b":") or len(name) < 1:
                members.add(char)  # no ":]": a plain "["
            else:
                test = _CLASSES.get(name[:-1].decode("latin-1"))
                if test is None:
                    raise _Abort
                classes.append(test)
                index = close
                char = 0
        else:
            members.add(char)
        previous = char
        index += 1
    return _Bracket(negated, members, ranges, classes), index


def _steps(pattern: bytes) -> list[tuple[int, object]]:
    """The steps of a wildmatch pattern (the part after its literal prefix, see ``Glob``)."""
    steps: list[tuple[int, object]] = []
    index, length = 0, len(pattern)
    while index < length:
        char = pattern[index]
        if char == 0x2A:  # "*"
            if index + 1 < length and pattern[index + 1] == 0x2A:
                start = index
                while index < length and pattern[index] == 0x2A:
                    index += 1
                boundary = start == 0 or pattern[start - 1] == _SLASH
                if boundary and index < length and pattern[index] == _SLASH:
                    steps.append((_DIRS, None))
                    index += 1
                elif boundary and (index == length or pattern.startswith(b"\\/", index)):
                    steps.append((_STARS, None))
                else:
                    steps.append((_STAR, None))
                continue
            steps.append((_STAR, None))
        elif char == 0x3F:  # "?"
            steps.append((_ONE, None))
        elif char == 0x5B:  # "["
            chosen, index = _bracket(pattern, index)
            steps.append((_SET, chosen))
        elif char == 0x5C:  # "\\"
            index += 1
            if index >= length:
                raise _Abort  # a trailing backslash matches nothing
            steps.append((_BYTE, pattern[index]))
        else:
            steps.append((_BYTE, char))
        index += 1
    return steps


class Glob:
    """A gitignore pattern matched as git's wildmatch does with ``WM_PATHNAME``.

    ``prefix`` is the pattern's literal start, compared as bytes (git does the same, and
    a ``**`` right after it counts as the start of the pattern); the rest runs as a set
    of positions advanced byte by byte, so no input makes it backtrack."""

    def __init__(self, pattern: str, whole: bool) -> None:
        self.pattern, self.whole = pattern, whole  # whole: against a path, else against a file name
        data = pattern.encode("utf-8", "surrogateescape")
        cut = len(data)
        if whole:
            for special in _GLOB_SPECIAL.encode():
                found = data.find(bytes([special]))
                if found != -1 and found < cut:
                    cut = found
        else:
            cut = len(data) if not any(c in pattern for c in _GLOB_SPECIAL) else 0
        self.prefix = data[:cut]
        try:
            self.steps: list[tuple[int, object]] | None = _steps(data[cut:])
        except _Abort:
            self.steps = None

    def __repr__(self) -> str:
        return f"Glob({self.pattern!r}, whole={self.whole})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Glob) and (self.pattern, self.whole) == (other.pattern, other.whole)

    def __hash__(self) -> int:
        return hash((self.pattern, self.whole))

    def match(self, text: str) -> bool:
        """Whether the pattern matches all of ``text``."""
        if self.steps is None:
            return False
        data = text.encode("utf-8", "surrogateescape")
        if not data.startswith(self.prefix):
            return False
        steps = self.steps
        count = len(steps)
        if not steps:
            return len(data) == len(self.prefix)
        inside = count + 1  # state ``inside + i``: within the "**/" of step i, past its first byte
        states = self._close({0})
        for byte in data[len(self.prefix) :]:
            after: set[int] = set()
            for state in states:
                if state >= count:
                    if state > count:
                        after.add(state)
                        if byte == _SLASH:
                            after.add(state - inside + 1)
                    continue
                kind, arg = steps[state]
                if kind == _BYTE:
                    if byte == arg:
                        after.add(state + 1)
                elif kind == _ONE:
                    if byte != _SLASH:
                        after.add(state + 1)
                elif kind == _SET:
                    if byte in arg:  # type: ignore[operator]  # a _Bracket
                        after.add(state + 1)
                elif kind == _STAR:
                    if byte != _SLASH:
                        after.add(state)
                elif kind == _STARS:
                    after.add(state)
                else:  # _DIRS
                    after.add(inside + state)
                    if byte == _SLASH:
                        after.add(state + 1)
            if not after:
                return False
            states = self._close(after)
        return count in states

    def _close(self, states: set[int]) -> set[int]:
        """``states`` and the steps reached from them without a byte (stars matching nothing;
        a "**/" only before its first byte)."""
        steps = self.steps
        assert steps is not None  # a glob with no steps matches by its literal prefix alone
        count = len(steps)
        result = set(states)
        todo = list(states)
        while todo:
            state = todo.pop()
            if state < count and steps[state][0] in (_STAR, _STARS, _DIRS) and state + 1 not in result:
                result.add(state + 1)
                todo.append(state + 1)
        return result


@dataclass(frozen=True, slots=True)
class IgnorePattern:
    """One line of a .gitignore, compiled."""

    base: str  # the folder of the .gitignore, relative to the build root ("" for the root)
    text: str  # the pattern as written, without the trailing spaces git drops
    negated: bool
    dir_only: bool
    glob: Glob
    anchored: bool  # matched against the path below ``base`` (else against the file name)
    span: Span  # the line in the .gitignore

    def matches(self, path: str) -> bool:
        """Whether the pattern matches ``path`` (relative to the build root, below ``base``)."""
        rel = path[len(self.base) + 1 :] if self.base else path
        return self.glob.match(rel if self.anchored else rel.rpartition("/")[2])


def _trim_trailing_spaces(line: str) -> str:
    """The line without its trailing spaces, except one escaped by a backslash (as git trims)."""
    last_space = -1
    index, length = 0, len(line)
    while index < length:
        char = line[index]
        if char == " ":
            if last_space == -1:
                last_space = index
        else:
            if char == "\\":
                index += 1
                if index == length:
                    return line
            last_space = -1
        index += 1
    return line[:last_space] if last_space != -1 else line


def _before_comment(line: str) -> str | None:
    """``.env`` of ``.env  # secrets``: the text before the first ``#`` that follows blanks."""
    if not line or line[0].isspace():
        return None
    index = line.find("#", 1)
    while index != -1:
        if line[index - 1] in " \t":
            return line[:index].rstrip(" \t")
        index = line.find("#", index + 1)
    return None


def compile_pattern(line: str, base: str, span: Span) -> IgnorePattern | None:
    """One line of a ``.gitignore`` as a pattern; None for blank lines and comments."""
    line = line.rstrip("\r\n")
    if line.startswith("\ufeff"):
        line = line[1:]
    stripped = _trim_trailing_spaces(line)
    if not stripped or stripped.startswith("#"):
        return None
    negated = stripped.startswith("!")
    if negated:
        stripped = stripped[1:]
    dir_only = stripped.endswith("/")
    body = stripped[:-1] if dir_only else stripped
    if not body:
        return None
    anchored = "/" in body
    if body.startswith("/"):
        body = body[1:]
    return IgnorePattern(base, line.rstrip(" "), negated, dir_only, Glob(body, anchored), anchored, span)


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
            if pattern.matches(path):
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
            before = _before_comment(line)
            if before is None or line.lstrip().startswith("#"):
                continue
            pattern = compile_pattern(before, posixpath.dirname(span.file), span)
            if pattern is None or pattern.negated or (pattern.dir_only and not is_dir):
                continue
            if pattern.base and not path.startswith(pattern.base + "/"):
                continue
            if pattern.matches(path):
                return span
        return None
