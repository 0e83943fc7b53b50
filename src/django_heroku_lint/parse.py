"""Decoding and parsing of the files djhlint reads.

Every function here takes bytes already read by discovery and returns either a parsed
result or a :class:`ParseError` with a one-line reason: a bad file never raises.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .ftypes import ParseError, Span

if TYPE_CHECKING:  # LibCST is imported only when a Python file is actually parsed
    import libcst as cst

NOQA_RE = re.compile(r"#\s*noqa(?::[\s]?(?P<codes>[A-Z]+[0-9]+(?:[,\s]+[A-Z]+[0-9]+)*))?", re.IGNORECASE)


def decode_text(data: bytes, path: str) -> str | ParseError:
    """Decode a text file as Heroku reads it: UTF-8, without a byte order mark."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return ParseError(Span(path), "file is UTF-16 encoded (a PowerShell redirect?); save it as UTF-8")
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


@dataclass
class PythonFile:
    path: str
    module: "cst.Module"
    noqa: dict[int, frozenset[str] | None] = field(default_factory=dict)  # line -> codes (None: all)


def noqa_map(text: str) -> dict[int, frozenset[str] | None]:
    result: dict[int, frozenset[str] | None] = {}
    if "noqa" not in text and "NOQA" not in text:
        return result
    for number, line in enumerate(split_lines(text), start=1):
        match = NOQA_RE.search(line)
        if match:
            codes = match.group("codes")
            result[number] = frozenset(c.upper() for c in re.split(r"[,\s]+", codes) if c) if codes else None
    return result


def parse_python(data: bytes, path: str) -> PythonFile | ParseError:
    """Parse a Python module with LibCST, honouring a BOM or a coding cookie."""
    import libcst as cst

    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return ParseError(Span(path), "file is UTF-16 encoded; Python source must be UTF-8")
    if b"\x00" in data:
        return ParseError(Span(path), "file is binary (it contains NUL bytes), not Python source")
    try:
        module = cst.parse_module(data)
    except cst.ParserSyntaxError as exc:
        line, col = exc.raw_line, exc.raw_column + 1
        message = str(exc.message).splitlines()[0].rstrip(".")
        return ParseError(Span(path, line, col, line, col + 1), f"syntax error: {message}")
    except (UnicodeDecodeError, LookupError, SyntaxError) as exc:
        reason = exc.reason if isinstance(exc, UnicodeDecodeError) else str(exc).splitlines()[0]
        return ParseError(Span(path), f"cannot decode the file: {reason}; save it as UTF-8")
    except RecursionError:
        return ParseError(Span(path), "the file is nested too deeply to parse")
    try:
        text = data.decode(module.encoding, errors="replace")
    except LookupError:
        text = data.decode("utf-8", errors="replace")
    return PythonFile(path=path, module=module, noqa=noqa_map(text))


def fill_positions(module: "cst.Module", wanted: dict["cst.CSTNode", list[Span]]) -> None:
    """Fill the spans of ``wanted`` nodes in one code-generation pass.

    LibCST's PositionProvider records every node of the module and costs about twice
    the parse; this pass records only the nodes a rule may point at.
    """
    if not wanted:
        return
    from ._positions import PositionState

    state = PositionState(
        default_indent=module.default_indent,
        default_newline=module.default_newline,
        wanted={id(node): spans for node, spans in wanted.items()},
    )
    try:
        module._codegen(state)
    except RecursionError:  # pragma: no cover - deeply nested expressions
        return
