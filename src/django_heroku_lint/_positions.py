"""A lean position-tracking code generator for LibCST modules (see ``parse.fill_positions``)."""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass, field

from libcst._nodes.internal import CodegenState

from .ftypes import Span


_NO_RECORD = nullcontext()


@dataclass
class PositionState(CodegenState):
    """Tracks the line and column while LibCST generates the code.

    ``wanted`` maps ``id(node)`` to the spans to fill: a LibCST node hashes through a
    Python-level ``__hash__``, which would cost a call for every node of the module.
    """

    wanted: dict = field(default_factory=dict)
    line: int = 1
    col: int = 0
    stack: list = field(default_factory=list)

    def record_syntactic_position(self, node, *, start_node=None, end_node=None):  # type: ignore[no-untyped-def]
        return _NO_RECORD  # LibCST's is a generator-based context manager: costly, and unused here

    def add_indent_tokens(self) -> None:
        for token in self.indent_tokens:
            self.add_token(token)

    def add_token(self, value: str) -> None:
        if "\n" in value or "\r" in value:
            self.line += value.count("\n") + value.count("\r") - value.count("\r\n")
            self.col = len(value) - max(value.rfind("\n"), value.rfind("\r")) - 1
        else:
            self.col += len(value)

    def before_codegen(self, node) -> None:  # type: ignore[no-untyped-def]
        if id(node) in self.wanted:
            self.stack.append((self.line, self.col))

    def after_codegen(self, node) -> None:  # type: ignore[no-untyped-def]
        spans = self.wanted.get(id(node))
        if spans is not None:
            line, col = self.stack.pop()
            for span in spans:
                span.line, span.col = line, col + 1
                span.end_line, span.end_col = self.line, self.col + 1
