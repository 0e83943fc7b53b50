"""Python and text files as the fixes see them, and the smallest edits between two texts.

A file is parsed with LibCST once per content (``PythonSource``), with the span and
parent of every node, so that a fix finds the node the model's span names and replaces
it by identity; the module's new code is then compared with the old, line by line and
then character by character, to give the smallest edits (``diff_edits``).  Everything
outside them is kept byte for byte: LibCST round-trips formatting, comments, quotes, a
byte order mark and CRLF line ends; a file it does not reproduce byte for byte (a form
feed before a statement, a final lone CR) is never edited.
"""

from __future__ import annotations

import difflib
import functools
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import libcst as cst

from ..ftypes import Edit, ParseError, Span
from ..read.lines import is_python, line_starts, to_position
from ..read.python import PythonFile, decode_text, parse_python

Reader = Callable[[str], "bytes | ParseError"]

TYPE_CHECKING = False  # typing is imported by type checkers only, as everywhere in djhlint
if TYPE_CHECKING:
    from typing import TypeVar

    _Node = TypeVar("_Node", bound=cst.CSTNode)


class Unresolvable(Exception):
    """An intent cannot be carried out exactly on the file as it is."""


def diff_edits(path: str, old: str, new: str) -> list[Edit]:
    """The smallest replace edits that turn ``old`` into ``new``, in file order."""
    if old == new:
        return []
    python = is_python(path)
    starts = line_starts(old, python)
    old_lines, new_lines = old.splitlines(keepends=True), new.splitlines(keepends=True)
    old_at = [0]
    for line in old_lines:
        old_at.append(old_at[-1] + len(line))
    new_at = [0]
    for line in new_lines:
        new_at.append(new_at[-1] + len(line))
    edits = []
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        a0, a1, b0, b1 = old_at[i1], old_at[i2], new_at[j1], new_at[j2]
        prefix = 0
        while a0 + prefix < a1 and b0 + prefix < b1 and old[a0 + prefix] == new[b0 + prefix]:
            prefix += 1
        if prefix and old[a0 + prefix - 1] == "\r" and old[a0 + prefix : a0 + prefix + 1] == "\n":
            prefix -= 1  # never split a CRLF
        suffix = 0
        while a1 - suffix > a0 + prefix and b1 - suffix > b0 + prefix and old[a1 - suffix - 1] == new[b1 - suffix - 1]:
            suffix += 1
        if suffix and old[a1 - suffix] == "\n" and a1 - suffix > 0 and old[a1 - suffix - 1] == "\r":
            suffix -= 1
        start, end = a0 + prefix, a1 - suffix
        start_line, start_col = to_position(starts, start)
        end_line, end_col = to_position(starts, end)
        edits.append(Edit.replace(Span(path, start_line, start_col, end_line, end_col), new[b0 + prefix : b1 - suffix]))
    return edits



# ---------------------------------------------------------------------- sources


@dataclass
class TextSource:
    """A file's text as the fixes see it, and how to turn text back into its bytes."""

    path: str
    text: str
    encoding: str  # "utf-8-sig" keeps a byte order mark of a Python file

    def encode(self, text: str) -> bytes:
        return text.encode(self.encoding)


def load_source(path: str, data: bytes | ParseError) -> TextSource | None:
    """The file's text, or ``None`` when it cannot be parsed: such a file is never touched."""
    if isinstance(data, ParseError):
        return None
    if is_python(path):
        parsed = _reproduced(path, data)
        if parsed is None:
            return None
        return TextSource(path, parsed.module.code, parsed.module.encoding)
    text = decode_text(data, path)
    if isinstance(text, ParseError):
        return None
    return TextSource(path, text, "utf-8")


def reproduces(module: cst.Module, data: bytes) -> bool:
    """Whether LibCST renders the module as the file's own bytes.  It does not always: it
    drops a form feed before a top-level statement, and a final lone CR.  The fixes write
    LibCST's rendering, so such a file is never edited."""
    try:
        return module.bytes == data
    except (UnicodeEncodeError, LookupError):  # pragma: no cover - the bytes decoded with this encoding
        return False


@dataclass
class PythonSource:
    """A parsed Python file with the span and parent of every node, for finding the node a
    model span names.  Its spans and the model's are measured alike
    (``read.python.node_positions``), so a model span names the node it was made for."""

    path: str
    module: cst.Module
    by_span: dict[tuple[int, int, int, int], list[cst.CSTNode]] = field(default_factory=dict)
    parents: dict[cst.CSTNode, cst.CSTNode] = field(default_factory=dict)
    spans: dict[cst.CSTNode, Span] = field(default_factory=dict)

    @classmethod
    def parse(cls, path: str, data: bytes | ParseError) -> PythonSource:
        if isinstance(data, ParseError):
            raise Unresolvable(data.reason)
        source = _parsed(path, data)
        if source is None:
            raise Unresolvable("the file does not parse, or LibCST does not reproduce it")
        return source

    def _index(self, text: str | None = None) -> None:
        from ..read.python import node_positions

        collector = _Collector()
        self.module.visit(collector)
        self.parents = collector.parents
        nodes = {id(node): node for node in collector.nodes}
        positions = node_positions(self.module, nodes, text)
        for key, node in nodes.items():
            span = Span(self.path, *positions.get(key, (1, 1, 1, 1)))
            self.spans[node] = span
            self.by_span.setdefault((span.line, span.col, span.end_line, span.end_col), []).append(node)

    def node_at(self, span: Span, types: type[_Node] | tuple[type[_Node], ...]) -> _Node:
        if span.file != self.path:
            raise Unresolvable("span in another file")
        for node in self.by_span.get((span.line, span.col, span.end_line, span.end_col), []):
            if isinstance(node, types):
                return node
        raise Unresolvable("no such node at the span")

    def top_index(self, node: cst.CSTNode) -> int:
        """The index in the module body of the top-level statement holding ``node``."""
        current = node
        while current in self.parents and self.parents[current] is not self.module:
            current = self.parents[current]
        for index, statement in enumerate(self.module.body):
            if statement is current:
                return index
        raise Unresolvable("not inside a top-level statement")

    def replaced(self, old: cst.CSTNode, new: cst.CSTNode) -> cst.Module:
        """The module with ``old``, a node inside it, replaced by ``new``."""
        module = self.module.deep_replace(old, new)
        if not isinstance(module, cst.Module):  # pragma: no cover - only the module itself would do that
            raise Unresolvable("the module itself was replaced")
        return module


@functools.lru_cache(maxsize=8)
def _reproduced(path: str, data: bytes) -> PythonFile | None:
    """One LibCST parse per file content, shared by the fixes that edit it and the writes
    that apply them; ``None`` when it does not parse or LibCST does not reproduce it."""
    parsed = parse_python(data, path)
    if not isinstance(parsed, PythonFile) or not reproduces(parsed.module, data):
        return None
    return parsed


@functools.lru_cache(maxsize=8)
def _parsed(path: str, data: bytes) -> PythonSource | None:
    """One position pass per file content, shared by all its fixes (LibCST trees are
    immutable, so sharing is safe)."""
    parsed = _reproduced(path, data)
    if parsed is None:
        return None
    source = PythonSource(path, parsed.module)
    source._index(parsed.text)
    return source


class _Collector(cst.CSTVisitor):
    def __init__(self) -> None:
        self.nodes: list[cst.CSTNode] = []
        self.parents: dict[cst.CSTNode, cst.CSTNode] = {}
        self.stack: list[cst.CSTNode] = []

    def on_visit(self, node: cst.CSTNode) -> bool:
        if self.stack:
            self.parents[node] = self.stack[-1]
        self.nodes.append(node)
        self.stack.append(node)
        return True

    def on_leave(self, original_node: cst.CSTNode) -> None:
        self.stack.pop()


def comments(module: cst.Module) -> Counter[str]:
    found: Counter[str] = Counter()

    class Visitor(cst.CSTVisitor):
        def visit_Comment(self, node: cst.Comment) -> None:
            found[node.value] += 1

    module.visit(Visitor())
    return found

