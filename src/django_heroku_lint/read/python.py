"""Decoding and parsing of the files djhlint reads.

Every function here takes bytes already read by discovery and returns either a parsed
result or a :class:`ParseError` with a one-line reason: a bad file never raises.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from ..ftypes import ParseError, Span

TYPE_CHECKING = False  # typing is imported by type checkers only: djhlint starts faster without it
if TYPE_CHECKING:  # LibCST is imported only when a Python file is actually parsed
    from collections.abc import Collection

    import libcst as cst

# LibCST needs about 1 KiB of memory per byte of source and a second per 30 KiB: a
# bigger module is refused rather than parsed (settings modules are rarely past 50 KiB).
MAX_PYTHON_BYTES = 256 * 1024
# LibCST's native parser overflows the C stack (the process dies) on brackets nested
# a few thousand deep, and its time grows with the square of an expression's depth
# (``a + a + ...``, ``x.a.a...``, ``f()()...``).  Python itself refuses brackets nested
# past 200 and expressions deeper than about 3,000 levels.  A cheap scan of the bytes
# picks out the files that might come near that; only those are checked exactly.
MAX_BRACKETS = 200  # Python's own limit ("too many nested parentheses")
MAX_DEPTH = 1000  # deeper trees are refused: LibCST needs about a second at this depth
_SCANNED = b"()[]{}\n\\.+-*/%@&|^~"
_NOT_SCANNED = bytes(sorted(set(range(256)) - set(_SCANNED)))
_OPEN, _CLOSE = frozenset(b"([{"), frozenset(b")]}")
_NEWLINE, _BACKSLASH = ord("\n"), ord("\\")
_KEYWORD_CHAINS = (b"not not", b" else ", b"lambda")  # chains of "not", "x if c else y", lambdas

# A noqa comment: bare (every rule), or followed by a colon and codes (``DJH101``, other
# tools' ``F401``) and rule names (``allowed-hosts-wildcard``: a name always holds a
# hyphen), separated by commas or spaces.
NOQA_TOKEN = r"(?:[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+|[A-Z]+[0-9]+)"
NOQA_RE = re.compile(rf"#\s*noqa(?::\s*(?P<codes>{NOQA_TOKEN}(?:(?:\s*,\s*|\s+){NOQA_TOKEN})*))?", re.IGNORECASE)
_NOQA_TOKEN_RE = re.compile(NOQA_TOKEN, re.IGNORECASE)
# Line breaks of str.splitlines (which noqa_map counts lines with) that Python does not break
# lines at, and a lone carriage return, which Python's tokenizer does not end a line at.
_ODD_BREAKS = re.compile("\r(?!\n)|[\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


UTF16_TEXT = "file is UTF-16 encoded (a PowerShell redirect?); save it as UTF-8"
UTF16_MIXED = "file starts as UTF-16 but does not decode as UTF-16 (a line appended as UTF-8?); save it as UTF-8"


def utf16_text(data: bytes) -> str | None:
    """The text of a UTF-16 file with a byte order mark, when all of it decodes as UTF-16
    and encodes back to the same bytes; ``None`` otherwise."""
    if not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None
    codec = "utf-16-le" if data.startswith(b"\xff\xfe") else "utf-16-be"
    try:
        text = data[2:].decode(codec)
    except UnicodeDecodeError:
        return None
    if "\x00" in text or data[:2] + text.encode(codec) != data:
        return None  # UTF-32, or bytes that do not round-trip
    return text


def decode_text(data: bytes, path: str) -> str | ParseError:
    """Decode a text file as Heroku reads it: UTF-8, without a byte order mark."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return ParseError(Span(path), UTF16_TEXT if utf16_text(data) is not None else UTF16_MIXED)
    if b"\x00" in data:
        return ParseError(Span(path), "file is binary (it contains NUL bytes), not text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        return ParseError(
            Span(path, line, col, line, col + 1), f"file is not valid UTF-8 (byte 0x{data[exc.start]:02x}); save it as UTF-8"
        )
    return text


def split_lines(text: str) -> list[str]:
    """Lines without their terminators; CRLF, LF and lone CR all end a line."""
    return text.splitlines()


@dataclass(frozen=True)  # no slots, so it takes a weak reference: the tests see with one that it is freed
class PythonFile:
    """A parsed Python module and its noqa comments."""

    path: str
    module: cst.Module
    noqa: dict[int, frozenset[str] | None] = field(default_factory=dict)  # line -> codes (None: all)
    text: str | None = None  # the decoded source, which LibCST generates back: positions are counted in it


def noqa_token(token: str) -> str:
    """A code as upper case (``djh101`` -> ``DJH101``), a rule name as lower case."""
    return token.lower() if "-" in token else token.upper()


def noqa_map(text: str) -> dict[int, frozenset[str] | None]:
    """Line -> the codes and rule names its ``# noqa: ...`` names (``None``: a bare ``# noqa``)."""
    result: dict[int, frozenset[str] | None] = {}
    if "noqa" not in text and "NOQA" not in text:
        return result
    for number, line in enumerate(split_lines(text), start=1):
        match = NOQA_RE.search(line)
        if match:
            codes = match.group("codes")
            result[number] = frozenset(noqa_token(c) for c in re.split(r"[,\s]+", codes) if c) if codes else None
    return result


@dataclass(frozen=True, slots=True)
class NoqaComment:
    """A ``# noqa: CODES`` comment: where it is and what it names (for unused-noqa and its fix).

    Columns are 1-based, as a Span's; ``start``/``end`` cover ``# noqa: ...`` up to its last
    code, ``tokens`` are (code or name as written, its start column, its end column), and
    ``trailing`` is whether the line goes on after the last code (an explanation)."""

    line: int
    start: int
    end: int
    tokens: tuple[tuple[str, int, int], ...]
    trailing: bool
    leading_space: int  # the blanks between the code before the comment and its "#"


def noqa_comments(text: str) -> list[NoqaComment]:
    """The ``# noqa: CODES`` comments that end a line of code, found among the module's
    real comments (a ``#`` inside a string is no comment); none when the module cannot be
    tokenized or holds a line break Python and :func:`noqa_map` count differently."""
    if "noqa" not in text.lower() or _ODD_BREAKS.search(text):
        return []  # where str.splitlines and Python disagree on lines, a line number is not to be trusted
    import io
    import tokenize

    found: list[NoqaComment] = []
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type != tokenize.COMMENT:
                continue
            match = NOQA_RE.match(token.string) or NOQA_RE.search(token.string)
            if match is None or not match.group("codes"):
                continue
            line, col = token.start
            before = token.line[:col] if token.line else ""
            if not before.strip():  # a comment line of its own: prose about noqa, never a suppression
                continue
            offset = col + 1  # 1-based column of the comment's first character
            codes_at = match.start("codes")
            tokens = tuple(
                (each.group(), offset + codes_at + each.start(), offset + codes_at + each.end())
                for each in _NOQA_TOKEN_RE.finditer(match.group("codes"))
            )
            found.append(
                NoqaComment(
                    line=line,
                    start=offset + match.start(),
                    end=offset + match.end(),
                    tokens=tokens,
                    trailing=bool(token.string[match.end():].strip()),
                    leading_space=len(before) - len(before.rstrip()) if match.start() == 0 else 0,
                )
            )
    except (tokenize.TokenError, SyntaxError, ValueError):  # not Python djhlint can read: nothing to report
        return []
    return found


def _rough_nesting(data: bytes) -> tuple[int, int]:
    """Rough bounds of the bracket depth and of the links chained in one statement.

    The loop runs over the few bytes that matter (brackets, operators, dots,
    newlines), strings and comments included, so the figures are mostly too high;
    they fall short only where strings or comments inside a deep expression hold
    closing brackets of their own, which no real settings module does.
    """
    marks = data.translate(None, _NOT_SCANNED)
    keywords = sum(data.count(k) for k in _KEYWORD_CHAINS)
    if len(marks) <= MAX_BRACKETS and keywords <= MAX_BRACKETS:
        return 0, 0
    depth = deepest = chain = longest = 0
    previous = 0
    for char in marks:
        if char in _OPEN:  # also a link of a chain of calls or subscripts
            depth += 1
            chain += 1
            if depth > deepest:
                deepest = depth
        elif char in _CLOSE:
            if depth:  # a stray ")" in a string or comment must not hide the brackets after it
                depth -= 1
        elif char == _NEWLINE:
            if depth == 0 and previous != _BACKSLASH:
                if chain > longest:
                    longest = chain
                depth = chain = 0
        elif char != _BACKSLASH:
            chain += 1
        previous = char
    return deepest, max(longest, chain, keywords)


def _too_deep(data: bytes, path: str) -> ParseError | None:
    """A ParseError when the module nests deeper than LibCST can safely parse."""
    brackets, chain = _rough_nesting(data)
    if brackets <= MAX_BRACKETS // 2 and chain <= MAX_DEPTH // 2:
        return None
    import ast

    try:
        tree = ast.parse(data)
    except SyntaxError as exc:
        if brackets <= MAX_BRACKETS:
            return None  # no crash to fear: let LibCST say what is wrong
        line = exc.lineno or 1
        col = exc.offset or 1
        return ParseError(Span(path, line, col, line, col + 1), f"syntax error: {exc.msg}")
    except (RecursionError, MemoryError):
        return ParseError(Span(path), "the file is nested too deeply to parse")
    except ValueError:  # bytes Python cannot decode: LibCST reports them
        return None
    stack: list[tuple[ast.AST, int]] = [(tree, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            line = getattr(node, "lineno", 1)
            return ParseError(
                Span(path, line, 1, line, 2), f"an expression is nested more than {MAX_DEPTH} levels deep: too deep to parse"
            )
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))
    return None


def parse_python(data: bytes, path: str) -> PythonFile | ParseError:
    """Parse a Python module with LibCST, honouring a BOM or a coding cookie."""
    import libcst as cst

    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return ParseError(Span(path), "file is UTF-16 encoded; Python source must be UTF-8")
    if b"\x00" in data:
        return ParseError(Span(path), "file is binary (it contains NUL bytes), not Python source")
    if len(data) > MAX_PYTHON_BYTES:
        return ParseError(
            Span(path),
            f"file is too large to parse ({len(data) // 1024} KiB; djhlint parses Python modules up to {MAX_PYTHON_BYTES // 1024} KiB)",
        )
    too_deep = _too_deep(data, path)
    if too_deep is not None:
        return too_deep
    try:
        module = cst.parse_module(data)
    except cst.ParserSyntaxError as exc:
        line, col = exc.raw_line, exc.raw_column + 1
        message = str(exc.message).splitlines()[0].rstrip(".")
        return ParseError(Span(path, line, col, line, col + 1), f"syntax error: {message}")
    except (UnicodeError, LookupError, SyntaxError) as exc:
        # UnicodeError: a coding cookie naming a codec that fails on the file (`undefined`, `punycode`)
        reason = exc.reason if isinstance(exc, UnicodeDecodeError) else str(exc).splitlines()[0].split(" (")[0]
        return ParseError(Span(path), f"cannot decode the file: {reason}; save it as UTF-8")
    except RecursionError:
        return ParseError(Span(path), "the file is nested too deeply to parse")
    try:  # LibCST decoded the bytes so: strictly, as some codecs (`idna`) know no other way
        text = data.decode(module.encoding)
    except (LookupError, UnicodeError):
        text = data.decode("utf-8", errors="replace")
    return PythonFile(path=path, module=module, noqa=noqa_map(text), text=text)


def node_positions(module: cst.Module, wanted: Collection[int], text: str | None = None) -> dict[int, tuple[int, int, int, int]]:
    """The (line, column, end line, end column) of each node whose ``id()`` is in ``wanted``.

    Lines and columns are 1-based, the end column exclusive, as in a :class:`Span`; a
    node's span is all the code it generates, the whitespace, comments and parentheses
    it owns included.  LibCST's PositionProvider records every node of the module and
    costs about twice the parse.  Here the offsets of the wanted nodes are measured
    along the tree (``positions.offsets``) in the module's ``text`` (what LibCST
    generates back) and turned into lines and columns.  Without the text, or when the
    walk does not add up, they are measured again through LibCST's code generation, in
    the code it generates, then moved into the text past the characters LibCST drops (a
    form feed before a statement: there LibCST's PositionProvider is a column short).
    A module nested too deeply to measure gets no positions.
    """
    if not wanted:
        return {}
    from .lines import line_starts
    from .positions import offsets

    measured = None
    if text is not None:
        try:
            measured = offsets(module, wanted, len(text))
        except RecursionError:  # deeply nested expressions: code generation finds what it reaches
            measured = None
        except (AttributeError, TypeError):  # a LibCST whose nodes are not the ones measured there
            measured = None
    if measured is None and text is not None:  # a node measured inline (a comma ...): every node met
        measured = offsets(module, wanted, len(text), complete=False, every=True)
    if measured is None or text is None:  # no text, or text LibCST does not give back
        try:
            code = module.code
        except RecursionError:  # pragma: no cover - deeply nested expressions
            return {}
        measured = offsets(module, wanted, len(code), complete=False, every=True)
        if measured is None:  # pragma: no cover - the code LibCST generates is as long as itself
            return {}
        moved = _into_text(measured, code, text) if text is not None and text != code else None
        if text is None or moved is None:
            text = code
        else:  # LibCST dropped characters of the text: the nodes are placed in the text all the same
            measured = moved
    found, code_end = measured
    starts = line_starts(text, python=True)
    if code_end > len(text):  # the newline LibCST adds, then drops, at the end of the module
        starts.append(code_end)
    lines = len(starts)
    positions = {}
    for key, (start, end) in found.items():
        line = bisect_right(starts, start)
        col = start - starts[line - 1] + 1
        if line == lines or end < starts[line]:  # most nodes end on the line they start on
            end_line, end_col = line, end - starts[line - 1] + 1
        else:
            end_line = bisect_right(starts, end, line)
            end_col = end - starts[end_line - 1] + 1
        positions[key] = (line, col, end_line, end_col)
    return positions


def _into_text(measured: tuple[dict[int, tuple[int, int]], int], code: str, text: str) -> tuple[dict[int, tuple[int, int]], int] | None:
    """Offsets in the code LibCST generates moved into the text it parsed, which has
    characters LibCST drops (a form feed before a statement, a lone CR ending the file);
    ``None`` when the code is not the text with some characters left out."""
    dropped: list[int] = []  # offsets in the code before which the text has one character more
    size = len(code)
    at = 0  # in the text
    for index, char in enumerate(code):
        while at < len(text) and text[at] != char:
            dropped.append(index)
            at += 1
        if at == len(text):
            return None
        at += 1
    dropped.extend([size] * (len(text) - at))
    before_end = bisect_left(dropped, size)  # the newline LibCST adds past the code is the final character it dropped

    def end(offset: int) -> int:
        return offset + (bisect_left(dropped, offset) if offset <= size else before_end)

    found, code_end = measured
    moved = {key: (start + bisect_right(dropped, start), end(stop)) for key, (start, stop) in found.items()}
    return moved, end(code_end)
