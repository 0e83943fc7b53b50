"""The fix stage, first half: a rule's fix becomes concrete edits.

A rule's text-file edits (a Procfile, a new ``.python-version``, a rename) are already
concrete.  Its Python *intents* are carried out here with LibCST on the file as it is
now: the node the model's span names is found, a new node replaces it by identity, and
the module's new code is compared with the old, line by line and then character by
character, to give the smallest edits.  Everything outside them is kept byte for byte:
LibCST round-trips formatting, comments, quotes, a byte order mark and CRLF line ends;
a file it does not reproduce byte for byte (a form feed before a statement, a final lone
CR) is never edited.

An intent that cannot be carried out exactly (the node is not where the span says, a
comment would be lost, the call has arguments the new form does not take) resolves to
``None``: the diagnostic stays, with no fix.  Nothing here writes; ``fixer.py`` applies,
checks and writes the edits.
"""

from __future__ import annotations

import bisect
import difflib
import functools
import re
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

import libcst as cst

from ..ftypes import (
    AddDictEntry,
    AddKeyword,
    AddRequirement,
    AddStatement,
    CompareEnvString,
    DropFallback,
    Edit,
    Fix,
    InsertElement,
    Intent,
    MoveElement,
    MoveToStorages,
    ParseError,
    ReadEnv,
    Reencode,
    ReplaceString,
    ReplaceValue,
    Span,
    UseMethod,
)
from ..model.interpreter import dotted_name as _dotted
from ..read.python import PythonFile, decode_text, parse_python, utf16_text

TRUTHY = ("1", "true", "yes", "on")  # what decouple's cast=bool reads as true
REQUIREMENTS = "requirements.txt"

Reader = Callable[[str], "bytes | ParseError"]

TYPE_CHECKING = False  # typing is imported by type checkers only, as everywhere in djhlint
if TYPE_CHECKING:
    from typing import Any, TypeGuard, TypeVar

    _Node = TypeVar("_Node", bound=cst.CSTNode)


class Unresolvable(Exception):
    """An intent cannot be carried out exactly on the file as it is."""


# ---------------------------------------------------------------------- text positions


def is_python(path: str) -> bool:
    return path.endswith(".py")


def line_starts(text: str, python: bool) -> list[int]:
    """Offsets where each line starts.  Python files end lines as LibCST does (``\\r\\n``,
    ``\\r``, ``\\n``); text files as ``str.splitlines``, which the Procfile parser uses."""
    starts = [0]
    if python:
        starts.extend(m.end() for m in re.finditer(r"\r\n|\r|\n", text))
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
        parsed = parse_python(data, path)
        if isinstance(parsed, ParseError) or not reproduces(parsed.module, data):
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
    model span names.  Its spans come from LibCST's code generation, the model's from the
    walk in ``_positions``: ``tests/test_positions.py`` keeps the two in agreement."""

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

    def _index(self) -> None:
        from ..read.python import node_positions

        collector = _Collector()
        self.module.visit(collector)
        self.parents = collector.parents
        nodes = {id(node): node for node in collector.nodes}
        positions = node_positions(self.module, nodes)
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
def _parsed(path: str, data: bytes) -> PythonSource | None:
    """One parse and one position pass per file content, shared by all its fixes (LibCST
    trees are immutable, so sharing is safe)."""
    parsed = parse_python(data, path)
    if not isinstance(parsed, PythonFile) or not reproduces(parsed.module, data):
        return None
    source = PythonSource(path, parsed.module)
    source._index()
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


def _comments(module: cst.Module) -> Counter[str]:
    found: Counter[str] = Counter()

    class Visitor(cst.CSTVisitor):
        def visit_Comment(self, node: cst.Comment) -> None:
            found[node.value] += 1

    module.visit(Visitor())
    return found


# ---------------------------------------------------------------------- resolving


def resolve(fix: Fix, read: Reader, files: frozenset[str]) -> Fix | None:
    """The fix with its intents carried out as edits on the files as ``read`` gives them,
    or ``None`` when an intent cannot be carried out exactly."""
    if fix.resolved:
        return fix
    try:
        edits = list(fix.edits)
        touched = {e.file for e in fix.edits} | {e.new_file for e in fix.edits if e.new_file}
        python_done: set[str] = set()
        texts: dict[str, tuple[TextSource, str]] = {}  # path -> (original, current text)
        for intent in fix.intents:
            if isinstance(intent, Reencode):
                path = intent.file
                if path in touched or path in python_done or path in texts:
                    raise Unresolvable("two edits of one file in one fix")
                data = read(path)
                text = None if isinstance(data, ParseError) else utf16_text(data)
                if text is None:
                    raise Unresolvable("not a UTF-16 text file")
                edits.append(Edit.rewrite(path, text))
                touched.add(path)
                continue
            if isinstance(intent, AddRequirement):
                path = REQUIREMENTS
                if path in touched or path not in files:
                    raise Unresolvable("no requirements.txt")
                if path not in texts:
                    text_source = load_source(path, read(path))
                    if text_source is None:
                        raise Unresolvable("requirements.txt cannot be read")
                    texts[path] = (text_source, text_source.text)
                original, current = texts[path]
                texts[path] = (original, add_requirement(current, intent, read))
                continue
            path = _intent_file(intent)
            if path in touched or path in python_done or path in texts:
                raise Unresolvable("two edits of one file in one fix")
            python_done.add(path)
            source = PythonSource.parse(path, read(path))
            new_module = RESOLVERS[type(intent)](source, intent)
            if not (_comments(source.module) - _comments(new_module)) == Counter():
                raise Unresolvable("a comment would be lost")
            edits.extend(diff_edits(path, source.module.code, new_module.code))
        for path, (original, current) in texts.items():
            edits.extend(diff_edits(path, original.text, current))
    except Unresolvable:
        return None
    except Exception:  # a fix is an offer: a surprise in carrying it out means no offer, never a crash
        return None
    if not edits:
        return None
    return Fix(fix.applicability, fix.message, tuple(edits))


def _intent_file(intent: Intent) -> str:
    for name in ("call", "read", "value", "string", "item", "anchor", "site", "dict"):
        span = getattr(intent, name, None)
        if isinstance(span, Span):
            return span.file
    raise Unresolvable("intent without a file")  # pragma: no cover


# ---------------------------------------------------------------------- sequences
#
# Lists, tuples, sets and call arguments, re-laid out slot by slot.  The separators
# (commas and the whitespace after them) stay where they are, so the layout is kept;
# the elements move between slots and take with them the comment at the end of their
# line and the comment lines just above them.


def _pw(ws: object) -> TypeGuard[cst.ParenthesizedWhitespace]:
    return isinstance(ws, cst.ParenthesizedWhitespace)


def _has_comment(first_line: cst.TrailingWhitespace | None, lines: Sequence[cst.EmptyLine]) -> bool:
    return (first_line is not None and first_line.comment is not None) or any(line.comment is not None for line in lines)


def _set_ws(ws: cst.BaseParenthesizableWhitespace, first_line: cst.TrailingWhitespace | None, lines: Sequence[cst.EmptyLine] | None):
    if _pw(ws):
        changes: dict = {}
        changes["first_line"] = first_line if first_line is not None else cst.TrailingWhitespace()
        if lines is not None:
            changes["empty_lines"] = list(lines)
        return ws.with_changes(**changes)
    if _has_comment(first_line, lines or ()):
        raise Unresolvable("a comment has nowhere to go")
    return ws


class _Layout:
    """The slots of a sequence (a list, tuple, set or dict display, or call arguments):
    items, separators and the whitespace holding comments."""

    def __init__(self, node: cst.BaseExpression) -> None:
        self.node = node
        self.call = isinstance(node, cst.Call)
        self.items: list[Any]  # Arg, Element or DictElement nodes: each has a comma
        self.open_ws: cst.BaseParenthesizableWhitespace
        self.close_ws: cst.BaseParenthesizableWhitespace
        if isinstance(node, cst.Call):
            self.items = list(node.args)
            self.open_ws = node.whitespace_before_args
        elif isinstance(node, cst.List):
            self.items, self.open_ws, self.close_ws = list(node.elements), node.lbracket.whitespace_after, node.rbracket.whitespace_before
        elif isinstance(node, (cst.Set, cst.Dict)):
            self.items, self.open_ws, self.close_ws = list(node.elements), node.lbrace.whitespace_after, node.rbrace.whitespace_before
        elif isinstance(node, cst.Tuple) and node.lpar and node.rpar:
            self.items, self.open_ws, self.close_ws = list(node.elements), node.lpar[-1].whitespace_after, node.rpar[0].whitespace_before
        else:
            raise Unresolvable("not a list or dict display")
        if any(not isinstance(item.comma, cst.Comma) for item in self.items[:-1]):
            raise Unresolvable("a separator is missing")  # pragma: no cover - every middle item has a comma
        n = len(self.items)
        if n and self.call:
            self.close_ws = self.items[-1].whitespace_after_arg
        last = self.items[-1] if n else None
        self.last_in_comma = last is not None and isinstance(last.comma, cst.Comma) and _pw(last.comma.whitespace_after)

    def after(self, k: int) -> cst.BaseParenthesizableWhitespace:
        if k < len(self.items) - 1:
            return self.items[k].comma.whitespace_after
        return self.items[k].comma.whitespace_after if self.last_in_comma else self.close_ws

    def before(self, k: int) -> cst.BaseParenthesizableWhitespace:
        return self.open_ws if k == 0 else self.after(k - 1)

    def template(self) -> dict:
        """A plain separator in the sequence's own style, for a new slot."""
        comma: cst.Comma | None = None
        for item in self.items[:-1]:
            if _pw(item.comma.whitespace_after):
                ws = item.comma.whitespace_after
                comma = item.comma.with_changes(whitespace_after=ws.with_changes(first_line=cst.TrailingWhitespace(), empty_lines=[]))
                break
        if comma is None and len(self.items) > 1:
            comma = self.items[0].comma
        if comma is None and _pw(self.open_ws):
            comma = cst.Comma(whitespace_after=self.open_ws.with_changes(first_line=cst.TrailingWhitespace(), empty_lines=[]))
        if comma is None:
            comma = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
        return {"comma": comma, "whitespace_after_arg": cst.SimpleWhitespace("")} if self.call else {"comma": comma}

    def bundle(self, k: int) -> dict:
        item = self.items[k]
        return {"comma": item.comma, "whitespace_after_arg": item.whitespace_after_arg} if self.call else {"comma": item.comma}

    def rebuild(self, order: list[int | None], new_item: cst.CSTNode | None = None) -> cst.BaseExpression:
        """The sequence with slot k holding old item ``order[k]`` (``None``: ``new_item``)."""
        n, m = len(self.items), len(order)
        lead: dict[int | None, list[cst.EmptyLine]] = {k: list(ws.empty_lines) if _pw(ws := self.before(k)) else [] for k in range(n)}
        trail: dict[int | None, cst.TrailingWhitespace | None] = {k: ws.first_line if _pw(ws := self.after(k)) else None for k in range(n)}
        kept = [k for k in range(n) if k in order]
        for k in range(n):
            if k not in kept and _has_comment(trail[k], lead[k]):
                raise Unresolvable("a removed item carries a comment")
        separators = [self.bundle(k) for k in range(n - 1)]
        if m == n + 1:
            separators.append(self.template())
        elif m == n - 1:
            removed = next(k for k in range(n) if k not in order)
            del separators[min(removed, n - 2)]
        last_bundle = self.bundle(n - 1) if n else (
            {"comma": cst.MaybeSentinel.DEFAULT, "whitespace_after_arg": cst.SimpleWhitespace("")} if self.call else {"comma": cst.MaybeSentinel.DEFAULT}
        )
        tail = list(ws.empty_lines) if n and _pw(ws := self.after(n - 1)) else None

        def item_at(k: int) -> cst.CSTNode:
            index = order[k]
            if index is not None:
                return self.items[index]
            if new_item is None:  # pragma: no cover - a new slot comes with its item
                raise Unresolvable("a new slot without an item")
            return new_item

        new_items = []
        for k in range(m):
            following_lead = lead.get(order[k + 1], []) if k + 1 < m and order[k + 1] is not None else ([] if k + 1 < m else tail)
            first_line = trail.get(order[k]) if order[k] is not None else None
            if k < m - 1:
                bundle = dict(separators[k])
                bundle["comma"] = bundle["comma"].with_changes(
                    whitespace_after=_set_ws(bundle["comma"].whitespace_after, first_line, following_lead)
                )
            else:
                bundle = dict(last_bundle)
                if self.last_in_comma:
                    bundle["comma"] = bundle["comma"].with_changes(
                        whitespace_after=_set_ws(bundle["comma"].whitespace_after, first_line, following_lead)
                    )
                elif self.call and n:
                    bundle["whitespace_after_arg"] = _set_ws(self.close_ws, first_line, following_lead)
            new_items.append(item_at(k).with_changes(**bundle))
        open_ws = self.open_ws
        if m and n:
            first_lead = lead.get(order[0], []) if order[0] is not None else []
            if _pw(open_ws):
                open_ws = open_ws.with_changes(empty_lines=first_lead)
            elif _has_comment(None, first_lead):
                raise Unresolvable("a comment has nowhere to go")
        close_ws = getattr(self, "close_ws", None)
        if not self.call and n and not self.last_in_comma:
            last_first = trail.get(order[m - 1]) if m and order[m - 1] is not None else None
            close_ws = _set_ws(self.close_ws, last_first, tail)
        node = self.node
        if isinstance(node, cst.Call):
            return node.with_changes(args=new_items, whitespace_before_args=open_ws)
        if isinstance(node, cst.List):
            return node.with_changes(elements=new_items, lbracket=node.lbracket.with_changes(whitespace_after=open_ws), rbracket=node.rbracket.with_changes(whitespace_before=close_ws))
        if isinstance(node, (cst.Set, cst.Dict)):
            return node.with_changes(elements=new_items, lbrace=node.lbrace.with_changes(whitespace_after=open_ws), rbrace=node.rbrace.with_changes(whitespace_before=close_ws))
        if not isinstance(node, cst.Tuple):  # pragma: no cover - __init__ takes no other node
            raise Unresolvable("not a list or dict display")
        lpar, rpar = list(node.lpar), list(node.rpar)
        lpar[-1] = lpar[-1].with_changes(whitespace_after=open_ws)
        rpar[0] = rpar[0].with_changes(whitespace_before=close_ws)
        return node.with_changes(elements=new_items, lpar=lpar, rpar=rpar)


# ---------------------------------------------------------------------- helpers


def _quote(node: cst.CSTNode | None) -> str:
    if isinstance(node, cst.SimpleString) and node.prefix.lower() in ("", "u"):
        return node.quote
    if isinstance(node, cst.ConcatenatedString):
        return _quote(node.left)
    return '"'


def _string(value: str, quote: str = '"') -> cst.SimpleString:
    body = value.replace("\\", "\\\\").replace(quote[0], "\\" + quote[0])
    body = "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in body)
    return cst.SimpleString(f"{quote}{body}{quote}")


def module_quote(module: cst.Module) -> str:
    """The quote the module's one-line strings mostly use; ``"`` on a tie."""
    counts: Counter[str] = Counter()

    class Visitor(cst.CSTVisitor):
        def visit_SimpleString(self, node: cst.SimpleString) -> None:
            if node.quote in ('"', "'"):
                counts[node.quote] += 1

    module.visit(Visitor())
    return "'" if counts["'"] > counts['"'] else '"'


class _Requote(cst.CSTTransformer):
    """Plain one-line strings in the given quote (new code only: its text is ours)."""

    def __init__(self, quote: str) -> None:
        self.quote = quote

    def leave_SimpleString(self, original_node: cst.SimpleString, updated_node: cst.SimpleString) -> cst.SimpleString:
        if updated_node.prefix or updated_node.quote not in ('"', "'"):
            return updated_node
        value = updated_node.evaluated_value
        if not isinstance(value, str):  # pragma: no cover - no prefix means str
            return updated_node
        return _string(value, self.quote).with_changes(lpar=updated_node.lpar, rpar=updated_node.rpar)


def requote(node: _Node, quote: str) -> _Node:
    new = node.visit(_Requote(quote))
    if not isinstance(new, type(node)):  # pragma: no cover - only strings change
        raise Unresolvable("requoting changed the node")
    return new


def _container(source: PythonSource, value: cst.CSTNode) -> tuple[cst.List | cst.Tuple | cst.Set, int]:
    element = source.parents.get(value)
    if not isinstance(element, (cst.Element, cst.StarredElement)) or element.value is not value:
        raise Unresolvable("not a list element")
    container = source.parents.get(element)
    if not isinstance(container, (cst.List, cst.Tuple, cst.Set)):
        raise Unresolvable("not in a list display")  # pragma: no cover - elements live in displays
    return container, list(container.elements).index(element)


def _statement_imports(statement: cst.CSTNode) -> Iterator[cst.BaseSmallStatement]:
    if isinstance(statement, cst.SimpleStatementLine):
        yield from statement.body


def _is_docstring(statement: cst.CSTNode) -> bool:
    return (
        isinstance(statement, cst.SimpleStatementLine)
        and len(statement.body) == 1
        and isinstance(statement.body[0], cst.Expr)
        and isinstance(statement.body[0].value, (cst.SimpleString, cst.ConcatenatedString))
    )


def _is_import_line(statement: cst.CSTNode) -> bool:
    return isinstance(statement, cst.SimpleStatementLine) and all(
        isinstance(small, (cst.Import, cst.ImportFrom)) for small in statement.body
    )


def _imports_module(statement: cst.CSTNode, name: str) -> bool:
    for small in _statement_imports(statement):
        if isinstance(small, cst.Import):
            for alias in small.names:
                if alias.asname is None and _dotted(alias.name) == name:
                    return True
    return False


def _imports_future(statement: cst.CSTNode) -> bool:
    return any(
        isinstance(small, cst.ImportFrom) and not small.relative and small.module is not None and _dotted(small.module) == "__future__"
        for small in _statement_imports(statement)
    )


def ensure_import(module: cst.Module, name: str, before: int) -> cst.Module:
    """``import name`` at the top, unless a top-level statement before index ``before``
    already imports it.  It joins the leading imports, else goes after the docstring;
    always after the ``from __future__`` imports, which must come first (also on a line
    they share with other statements)."""
    body = list(module.body)
    if any(_imports_module(statement, name) for statement in body[:before]):
        return module
    start = 1 if body and _is_docstring(body[0]) else 0
    index = start
    while index < len(body) and _is_import_line(body[index]):
        index += 1
    index = max([index, *(i + 1 for i, statement in enumerate(body) if _imports_future(statement))])
    dotted = cst.parse_expression(name)
    if not isinstance(dotted, (cst.Name, cst.Attribute)):  # pragma: no cover - the fixes import modules by name
        raise Unresolvable(f"not a module name: {name}")
    new = cst.SimpleStatementLine(body=[cst.Import(names=[cst.ImportAlias(name=dotted)])])
    if index == start:  # no import block to join: blank lines around the new one
        if start:
            new = new.with_changes(leading_lines=[cst.EmptyLine()])
        if index < len(body):
            follower = body[index]
            if not (follower.leading_lines and follower.leading_lines[0].comment is None):
                body[index] = follower.with_changes(leading_lines=[cst.EmptyLine(), *follower.leading_lines])
    body.insert(index, new)
    return module.with_changes(body=body)


# ---------------------------------------------------------------------- resolvers


def _add_keyword(source: PythonSource, intent: AddKeyword) -> cst.Module:
    call = source.node_at(intent.call, cst.Call)
    value = cst.parse_expression(intent.value)
    args = list(call.args)
    for index, arg in enumerate(args):
        if arg.keyword is not None and arg.keyword.value == intent.keyword:
            args[index] = arg.with_changes(value=value)
            return source.replaced(call, call.with_changes(args=args))
    if any(arg.star == "**" for arg in args):
        raise Unresolvable("**kwargs may hold the keyword")
    equal = next(
        (arg.equal for arg in args if arg.keyword is not None and isinstance(arg.equal, cst.AssignEqual)),
        cst.AssignEqual(whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")),
    )
    new_arg = cst.Arg(value=value, keyword=cst.Name(intent.keyword), equal=equal)
    layout = _Layout(call)
    new_call = layout.rebuild([*range(len(args)), None], new_arg)
    return source.replaced(call, new_call)


def _use_method(source: PythonSource, intent: UseMethod) -> cst.Module:
    call = source.node_at(intent.call, cst.Call)
    if not isinstance(call.func, (cst.Name, cst.Attribute)):
        raise Unresolvable("not a plain callee")
    positional = [arg for arg in call.args if arg.keyword is None]
    if any(arg.star for arg in call.args) or len(positional) > intent.max_positional:
        raise Unresolvable("arguments the method does not take")
    if any(arg.keyword is not None and arg.keyword.value not in intent.keywords for arg in call.args):
        raise Unresolvable("arguments the method does not take")
    func = cst.Attribute(value=call.func, attr=cst.Name(intent.method))
    return source.replaced(call, call.with_changes(func=func))


def _breaks_line(source: PythonSource, node: cst.CSTNode) -> bool:
    """Whether the node's code runs over lines: without brackets around it, it may not parse."""
    code = source.module.code_for_node(node)
    return "\n" in code or "\r" in code


def _env_call(call: cst.CSTNode) -> cst.Call:
    """An ``os.environ.get(...)`` / ``os.getenv(...)`` / ``getenv(...)`` call."""
    if not isinstance(call, cst.Call) or any(arg.star for arg in call.args):
        raise Unresolvable("not a plain call")
    func = call.func
    if isinstance(func, cst.Attribute) and func.attr.value in ("get", "getenv", "setdefault"):
        return call
    if isinstance(func, cst.Name) and func.value == "getenv":
        return call
    raise Unresolvable("not an os environment read")


def _compare_env_string(source: PythonSource, intent: CompareEnvString) -> cst.Module:
    outer = source.node_at(intent.read, cst.Call)
    inner: cst.BaseExpression = outer
    if isinstance(outer.func, cst.Name) and outer.func.value == "bool":
        if len(outer.args) != 1 or outer.args[0].keyword is not None or outer.args[0].star:
            raise Unresolvable("bool() with other arguments")
        inner = outer.args[0].value
    call = _env_call(inner)
    if isinstance(call.func, cst.Attribute) and call.func.attr.value == "setdefault":
        raise Unresolvable("setdefault changes the environment")
    args = list(call.args)
    positional = [i for i, arg in enumerate(args) if arg.keyword is None]
    keywords = {arg.keyword.value: i for i, arg in enumerate(args) if arg.keyword is not None}
    if not positional or set(keywords) - {"default"}:
        raise Unresolvable("unexpected arguments")
    var_node = args[positional[0]].value
    default_index = keywords.get("default", positional[1] if len(positional) > 1 else None)
    quote = _quote(var_node)
    if intent.default is None:
        if default_index is None or not isinstance(args[default_index].value, cst.SimpleString):
            raise Unresolvable("the fallback is not a string")
        new_call: cst.BaseExpression = call
    elif default_index is not None:
        args[default_index] = args[default_index].with_changes(value=_string(intent.default, quote))
        new_call = call.with_changes(args=args)
    else:
        new_call = _Layout(call).rebuild([*range(len(args)), None], cst.Arg(value=_string(intent.default, quote)))
    lowered = cst.Call(func=cst.Attribute(value=new_call.with_changes(lpar=[], rpar=[]), attr=cst.Name("lower")))
    truthy = cst.Tuple(
        elements=[
            cst.Element(_string(value, quote), comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")) if i < len(TRUTHY) - 1 else cst.MaybeSentinel.DEFAULT)
            for i, value in enumerate(TRUTHY)
        ]
    )
    comparison = cst.Comparison(left=lowered, comparisons=[cst.ComparisonTarget(operator=cst.In(), comparator=truthy)])
    parent = source.parents.get(outer)
    # Brackets where the comparison needs them: inside a larger expression, and around a
    # read that breaks a line inside bool()'s parentheses, which go with bool().
    unwrapped_break = inner is not outer and _breaks_line(source, inner)
    if outer.lpar:
        comparison = comparison.with_changes(lpar=outer.lpar, rpar=outer.rpar)
    elif unwrapped_break or not isinstance(parent, (cst.Assign, cst.AnnAssign, cst.IfExp)):
        comparison = comparison.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
    return source.replaced(outer, comparison)


def _environ_subscript(source: PythonSource, call: cst.Call, var_node: cst.BaseExpression) -> tuple[cst.BaseExpression, bool]:
    """``<environ>["VAR"]`` for an os read, and whether ``import os`` is needed."""
    func = call.func
    if isinstance(func, cst.Attribute) and func.attr.value in ("get", "setdefault"):
        base, needs_os = func.value, False
    elif isinstance(func, cst.Attribute) and func.attr.value == "getenv":
        base, needs_os = cst.Attribute(value=func.value, attr=cst.Name("environ")), False
    else:
        base, needs_os = cst.parse_expression("os.environ"), True
    subscript = cst.Subscript(value=base, slice=[cst.SubscriptElement(slice=cst.Index(value=var_node))])
    return subscript, needs_os


def _drop_fallback(source: PythonSource, intent: DropFallback) -> cst.Module:
    node: cst.BaseExpression
    if intent.via == "or":
        node = source.node_at(intent.read, cst.BooleanOperation)
        if not isinstance(node.operator, cst.Or) or not isinstance(node.left, cst.Call):
            raise Unresolvable("not `read or fallback`")
        call = node.left
    else:
        node = call = source.node_at(intent.read, cst.Call)
    args = list(call.args)
    if any(arg.star for arg in args):
        raise Unresolvable("starred arguments")
    positional = [i for i, arg in enumerate(args) if arg.keyword is None]
    keywords = {arg.keyword.value: i for i, arg in enumerate(args) if arg.keyword is not None}
    needs_os = False
    if intent.api == "decouple" or intent.api == "environ" or intent.api.startswith("environ."):
        drop = keywords.get("default")
        if drop is None and intent.api != "environ" and len(positional) > 1:
            drop = positional[1]
        if drop is None and intent.via != "or":
            raise Unresolvable("no fallback argument")
        new: cst.BaseExpression = call
        if drop is not None:
            new = _Layout(call).rebuild([k for k in range(len(args)) if k != drop])
    elif intent.api in ("os.environ.get", "os.getenv"):
        _env_call(call)
        if set(keywords) - {"default"} or not positional:
            raise Unresolvable("unexpected arguments")
        var_node = args[positional[0]].value
        new, needs_os = _environ_subscript(source, call, var_node)
    else:
        raise Unresolvable(f"no way to drop the fallback of {intent.api}")
    if call.lpar and isinstance(new, cst.Subscript):
        new = new.with_changes(lpar=call.lpar, rpar=call.rpar)
    elif node is not call and node.lpar and not new.lpar and _breaks_line(source, new):
        new = new.with_changes(lpar=node.lpar, rpar=node.rpar)  # the brackets of `(read or fallback)` hold a line break
    top = source.top_index(node)
    module = source.replaced(node, new)
    return ensure_import(module, "os", top) if needs_os else module


def _env_style(source: PythonSource, before: int) -> tuple[str, str] | None:
    """How the module reads the environment before statement ``before``:
    ("call", callee) for decouple or django-environ, ("subscript", base) for os."""
    decouple = environ_obj = os_base = None
    decouple_names: set[str] = set()
    environ_names: set[str] = set()
    for statement in source.module.body[:before]:
        for small in _statement_imports(statement):
            if isinstance(small, cst.ImportFrom) and not isinstance(small.names, cst.ImportStar):
                module = _dotted(small.module) if small.module is not None and not small.relative else None
                for alias in small.names:
                    local = alias.asname.name.value if alias.asname and isinstance(alias.asname.name, cst.Name) else _dotted(alias.name)
                    imported = _dotted(alias.name)
                    if module == "decouple" and imported == "config":
                        decouple = decouple or local
                    elif module == "decouple" and imported in ("AutoConfig", "Config"):
                        decouple_names.add(local or "")
                    elif module == "environ" and imported == "Env":
                        environ_names.add(local or "")
                    elif module == "os" and imported == "environ":
                        os_base = os_base or local
            elif isinstance(small, cst.Import):
                for alias in small.names:
                    name = _dotted(alias.name)
                    local = alias.asname.name.value if alias.asname and isinstance(alias.asname.name, cst.Name) else name
                    if name == "decouple":
                        decouple = decouple or f"{local}.config"
                        decouple_names.update({f"{local}.AutoConfig", f"{local}.Config"})
                    elif name == "environ":
                        environ_names.add(f"{local}.Env")
                    elif name == "os" and alias.asname is None:
                        os_base = os_base or "os.environ"
            elif isinstance(small, cst.Assign) and len(small.targets) == 1 and isinstance(small.targets[0].target, cst.Name):
                value = small.value
                if isinstance(value, cst.Call):
                    callee = _dotted(value.func)
                    if callee in decouple_names:
                        decouple = small.targets[0].target.value
                    elif callee in environ_names:
                        environ_obj = environ_obj or small.targets[0].target.value
    if decouple:
        return ("call", decouple)
    if environ_obj:
        return ("call", environ_obj)
    if os_base:
        return ("subscript", os_base)
    return None


def _read_env(source: PythonSource, intent: ReadEnv) -> cst.Module:
    literal = source.node_at(intent.value, (cst.SimpleString, cst.ConcatenatedString))
    top = source.top_index(literal)
    quote = _quote(literal)
    name = _string(intent.var, quote).value
    style = _env_style(source, top)
    needs_os = style is None
    kind, base = style or ("subscript", "os.environ")
    new = cst.parse_expression(f"{base}({name})" if kind == "call" else f"{base}[{name}]")
    if literal.lpar:
        new = new.with_changes(lpar=literal.lpar, rpar=literal.rpar)
    module = source.replaced(literal, new)
    return ensure_import(module, "os", top) if needs_os else module


def _replace_string(source: PythonSource, intent: ReplaceString) -> cst.Module:
    node = source.node_at(intent.string, cst.SimpleString)
    if node.evaluated_value != intent.old or node.prefix.lower() not in ("", "u"):
        raise Unresolvable("the string is not what the model saw")
    new = cst.SimpleString(node.prefix + _string(intent.new, node.quote).value, lpar=node.lpar, rpar=node.rpar)
    return source.replaced(node, new)


def _move_element(source: PythonSource, intent: MoveElement) -> cst.Module:
    item = source.node_at(intent.item, cst.BaseExpression)
    anchor = source.node_at(intent.anchor, cst.BaseExpression)
    container, index = _container(source, item)
    anchor_container, anchor_index = _container(source, anchor)
    if anchor_container is not container or index == anchor_index:
        raise Unresolvable("not in one list display")
    order: list[int | None] = [k for k in range(len(container.elements)) if k != index]
    position = order.index(anchor_index) + (1 if intent.after else 0)
    order.insert(position, index)
    return source.replaced(container, _Layout(container).rebuild(order))


def _insert_element(source: PythonSource, intent: InsertElement) -> cst.Module:
    if intent.where == "into":
        container = source.node_at(intent.anchor, (cst.List, cst.Tuple, cst.Set))
        assert isinstance(container, (cst.List, cst.Tuple, cst.Set))  # as asked: node_at's type is their join
        if container.elements:
            raise Unresolvable("the list is not empty")
        new_item = cst.Element(_string(intent.value))
        return source.replaced(container, _Layout(container).rebuild([None], new_item))
    anchor = source.node_at(intent.anchor, cst.BaseExpression)
    container, index = _container(source, anchor)
    order: list[int | None] = list(range(len(container.elements)))
    order.insert(index + 1 if intent.where == "after" else index, None)
    new_item = cst.Element(_string(intent.value, _quote(anchor)))
    return source.replaced(container, _Layout(container).rebuild(order, new_item))


def _add_statement(source: PythonSource, intent: AddStatement) -> cst.Module:
    site = source.node_at(intent.site, cst.CSTNode)
    top = source.top_index(site)
    statement = cst.parse_statement(intent.code)
    if intent.match_quotes:
        statement = requote(statement, module_quote(source.module))
    if intent.comment:
        statement = statement.with_changes(leading_lines=[cst.EmptyLine(), cst.EmptyLine(comment=cst.Comment(f"# {intent.comment}"))])
    body = list(source.module.body)
    body.insert(top + 1, statement)
    module = source.module.with_changes(body=body)
    for name in intent.imports:
        module = ensure_import(module, name, top + 1)
    return module


def _replace_value(source: PythonSource, intent: ReplaceValue) -> cst.Module:
    node = source.node_at(intent.value, cst.BaseExpression)
    new = requote(cst.parse_expression(intent.code), module_quote(source.module))
    if node.lpar:
        new = new.with_changes(lpar=node.lpar, rpar=node.rpar)
    return source.replaced(node, new)


def _key_of(element: cst.BaseDictElement) -> object:
    if isinstance(element, cst.DictElement) and isinstance(element.key, (cst.SimpleString, cst.ConcatenatedString)):
        return element.key.evaluated_value
    return None


def _dict_with(node: cst.Dict, key: str, code: str, first: bool, quote: str | None = None) -> cst.Dict:
    """``node`` with the entry ``key: code``, in the quotes of its first key (or ``quote``)."""
    if any(_key_of(element) == key for element in node.elements):
        raise Unresolvable("the key is there already")
    if quote is None:
        keys = [e.key for e in node.elements if isinstance(e, cst.DictElement)]
        quote = _quote(keys[0]) if keys else '"'
    entry = requote(cst.parse_expression(f"{{{_string(key, quote).value}: {code}}}"), quote)
    assert isinstance(entry, cst.Dict)
    new_item = entry.elements[0]
    n = len(node.elements)
    order: list[int | None] = [None, *range(n)] if first else [*range(n), None]
    rebuilt = _Layout(node).rebuild(order, new_item)
    assert isinstance(rebuilt, cst.Dict)
    return rebuilt


def _add_dict_entry(source: PythonSource, intent: AddDictEntry) -> cst.Module:
    node = source.node_at(intent.dict, cst.Dict)
    return source.replaced(node, _dict_with(node, intent.key, intent.code, intent.first))


FILE_SYSTEM_STORAGE = "django.core.files.storage.FileSystemStorage"


def _assignment_line(source: PythonSource, name: cst.Name) -> tuple[cst.Assign, cst.SimpleStatementLine]:
    """The ``NAME = value`` statement a target name belongs to, when it is a module-level
    line of its own with one target."""
    target = source.parents.get(name)
    assign = source.parents.get(target) if isinstance(target, cst.AssignTarget) else None
    line = source.parents.get(assign) if isinstance(assign, cst.Assign) else None
    if not isinstance(assign, cst.Assign) or len(assign.targets) != 1 or not isinstance(line, cst.SimpleStatementLine):
        raise Unresolvable("not a plain assignment")
    if len(line.body) != 1 or source.parents.get(line) is not source.module:
        raise Unresolvable("not a module-level statement of its own")
    return assign, line


def _move_to_storages(source: PythonSource, intent: MoveToStorages) -> cst.Module:
    name = source.node_at(intent.setting, cst.Name)
    assign, line = _assignment_line(source, name)
    literal = source.node_at(intent.value, (cst.SimpleString, cst.ConcatenatedString))
    if assign.value is not literal or not isinstance(literal, (cst.SimpleString, cst.ConcatenatedString)):
        raise Unresolvable("not a string literal")
    if not isinstance(literal.evaluated_value, str):
        raise Unresolvable("not a string literal")
    backend = source.module.code_for_node(literal)  # the string as written
    quote = _quote(literal)
    default = f"{{{_string('BACKEND', quote).value}: {_string(FILE_SYSTEM_STORAGE, quote).value}}}"
    static = f"{{{_string('BACKEND', quote).value}: {backend}}}"
    if intent.storages is None:
        indent = source.module.default_indent
        code = (
            f"STORAGES = {{\n{indent}{_string('default', quote).value}: {default},\n"
            f"{indent}{_string('staticfiles', quote).value}: {static},\n}}"
        )
        statement = cst.parse_statement(code)
        assert isinstance(statement, cst.SimpleStatementLine)
        return source.replaced(assign, statement.body[0])
    storages = source.node_at(intent.storages, cst.Dict)
    index = source.top_index(line)
    if source.top_index(storages) == index:
        raise Unresolvable("both in one statement")
    if any(empty.comment is not None for empty in line.leading_lines) or line.trailing_whitespace.comment is not None:
        raise Unresolvable("the statement's comment would be lost")
    keys = [e.key for e in storages.elements if isinstance(e, cst.DictElement)]
    key_quote = _quote(keys[0]) if keys else quote
    static = f"{{{_string('BACKEND', key_quote).value}: {backend}}}"
    new = _dict_with(storages, "staticfiles", static, first=False, quote=key_quote)
    if intent.add_default:
        new = _dict_with(new, "default", default, first=True, quote=key_quote)
    module = source.replaced(storages, new)
    body = list(module.body)
    removed = body.pop(index)
    if index < len(body):  # the next statement takes the removed one's place and spacing
        lines = list(body[index].leading_lines)
        if index == 0:
            while lines and lines[0].comment is None:
                lines.pop(0)  # no blank line at the top of the module
        elif not lines:
            lines = list(removed.leading_lines)
        body[index] = body[index].with_changes(leading_lines=lines)
    return module.with_changes(body=body)


RESOLVERS: dict[type, Callable] = {
    AddKeyword: _add_keyword,
    UseMethod: _use_method,
    CompareEnvString: _compare_env_string,
    DropFallback: _drop_fallback,
    ReadEnv: _read_env,
    ReplaceString: _replace_string,
    MoveElement: _move_element,
    InsertElement: _insert_element,
    AddStatement: _add_statement,
    ReplaceValue: _replace_value,
    AddDictEntry: _add_dict_entry,
    MoveToStorages: _move_to_storages,
}


# ---------------------------------------------------------------------- requirements


def canonical(name: str) -> str:
    """A distribution name as pip compares them: ``Dj_Database.URL[x]`` -> ``dj-database-url``."""
    base = re.split(r"[\[\s<>=!~;@(]", name.strip(), maxsplit=1)[0]
    return re.sub(r"[-_.]+", "-", base).lower()


REQUIREMENT_RE = re.compile(r"^\s*(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)")
INCLUDE_RE = re.compile(r"^\s*(?:-r|--requirement)(?:\s+|=)(?P<path>\S+)")


def required_names(text: str, read: Reader, here: str = REQUIREMENTS, depth: int = 0) -> set[str]:
    """The canonical names a requirements file requires, following ``-r`` includes."""
    names: set[str] = set()
    for line in text.splitlines():
        line = line.lstrip("\ufeff")
        include = INCLUDE_RE.match(line)
        if include and depth < 5:
            folder = here.rpartition("/")[0]
            path = f"{folder}/{include.group('path')}" if folder else include.group("path")
            data = read(path)
            if not isinstance(data, ParseError):
                decoded = decode_text(data, path)
                if not isinstance(decoded, ParseError):
                    names |= required_names(decoded, read, path, depth + 1)
            continue
        stripped = line.split(" #", 1)[0].strip()
        if not stripped or stripped.startswith(("#", "-")):
            continue
        match = REQUIREMENT_RE.match(stripped)
        if match:
            names.add(canonical(match.group("name")))
    return names


def add_requirement(text: str, intent: AddRequirement, read: Reader) -> str:
    """``text`` with ``intent.name`` appended on a line of its own, unless already required.
    The file's line ends are kept, and so is a missing final newline."""
    present = required_names(text, read)
    if any(canonical(name) in present for name in (intent.name, *intent.satisfied_by)):
        return text
    newline = "\r\n" if "\r\n" in text else "\r" if "\r" in text and "\n" not in text else "\n"
    if not text or text == "\ufeff":
        return text + intent.name + newline
    if text.endswith(("\n", "\r")):
        return text + intent.name + newline
    return text + newline + intent.name
