"""Lines and columns of a text, and the offsets they stand for.

Spans are 1-based lines and columns, the end column exclusive.  The parse stage measures
the spans of Python nodes with these, and the fixes turn spans back into offsets and
their edits into spans with them: one notion of where a line starts for both.
"""

from __future__ import annotations

import bisect
import re

from ..ftypes import Span

_LINE_END = re.compile(r"\r\n|\r|\n")


def is_python(path: str) -> bool:
    return path.endswith(".py")


def line_starts(text: str, python: bool) -> list[int]:
    """Offsets where each line starts.  Python files end lines as LibCST does (``\\r\\n``,
    ``\\r``, ``\\n``); text files as ``str.splitlines``, which the Procfile parser uses."""
    starts = [0]
    if python:
        starts.extend(m.end() for m in _LINE_END.finditer(text))
    else:
        for line in text.splitlines(keepends=True):
            starts.append(starts[-1] + len(line))
        if starts[-1] != len(text):  # pragma: no cover - splitlines covers the whole text
            starts.append(len(text))
    return starts


def to_offset(starts: list[int], text: str, line: int, col: int) -> int:
    if line < 1:
        return 0
    if line > len(starts):
        return len(text)
    return min(starts[line - 1] + col - 1, len(text))


def to_position(starts: list[int], offset: int) -> tuple[int, int]:
    index = bisect.bisect_right(starts, offset) - 1
    return index + 1, offset - starts[index] + 1


def span_offsets(text: str, span: Span, python: bool, starts: list[int] | None = None) -> tuple[int, int]:
    starts = starts if starts is not None else line_starts(text, python)
    return to_offset(starts, text, span.line, span.col), to_offset(starts, text, span.end_line, span.end_col)

