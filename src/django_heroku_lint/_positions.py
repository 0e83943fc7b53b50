"""A lean position-tracking code generator for LibCST modules (see ``parse.fill_positions``)."""

from __future__ import annotations

from dataclasses import dataclass, field

from libcst._nodes.internal import CodegenState

from .ftypes import Span


@dataclass
class PositionState(CodegenState):
    wanted: dict = field(default_factory=dict)
    line: int = 1
    col: int = 0
    stack: list = field(default_factory=list)

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
        if node in self.wanted:
            self.stack.append((self.line, self.col))

    def after_codegen(self, node) -> None:  # type: ignore[no-untyped-def]
        spans = self.wanted.get(node)
        if spans is not None:
            line, col = self.stack.pop()
            for span in spans:
                span.line, span.col = line, col + 1
                span.end_line, span.end_col = self.line, self.col + 1
