"""The generic edits a rule's fix is built from, on a parsed file (``source.PythonSource``).

Each takes the node a span names and gives the module with it changed, or raises
``Unresolvable`` when it cannot be done exactly (the node is not where the span says, a
comment would be lost): replace a node, insert a statement after another, insert, move
or rewrite a list's elements, add a dict entry, add a keyword argument, ensure an import,
add a requirement line.  A rule's own fix (``rules/djhNNN_*.py``) combines them, and
imports this module only when it is carried out: a lint run never loads LibCST.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence

import libcst as cst

from ..ftypes import ParseError, Span
from ..model.interpreter import dotted_name
from ..read.requirements import parse_requirement, pip_requirements
from .source import PythonSource, Reader, Unresolvable

REQUIREMENTS = "requirements.txt"

TYPE_CHECKING = False  # typing is imported by type checkers only, as everywhere in djhlint
if TYPE_CHECKING:
    from typing import Any, TypeGuard, TypeVar

    _Node = TypeVar("_Node", bound=cst.CSTNode)


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


class Layout:
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


def quote_of(node: cst.CSTNode | None) -> str:
    if isinstance(node, cst.SimpleString) and node.prefix.lower() in ("", "u"):
        return node.quote
    if isinstance(node, cst.ConcatenatedString):
        return quote_of(node.left)
    return '"'


def string(value: str, quote: str = '"') -> cst.SimpleString:
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
        return string(value, self.quote).with_changes(lpar=updated_node.lpar, rpar=updated_node.rpar)


def requote(node: _Node, quote: str) -> _Node:
    new = node.visit(_Requote(quote))
    if not isinstance(new, type(node)):  # pragma: no cover - only strings change
        raise Unresolvable("requoting changed the node")
    return new


def container(source: PythonSource, value: cst.CSTNode) -> tuple[cst.List | cst.Tuple | cst.Set, int]:
    element = source.parents.get(value)
    if not isinstance(element, (cst.Element, cst.StarredElement)) or element.value is not value:
        raise Unresolvable("not a list element")
    container = source.parents.get(element)
    if not isinstance(container, (cst.List, cst.Tuple, cst.Set)):
        raise Unresolvable("not in a list display")  # pragma: no cover - elements live in displays
    return container, list(container.elements).index(element)


def statement_imports(statement: cst.CSTNode) -> Iterator[cst.BaseSmallStatement]:
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
    for small in statement_imports(statement):
        if isinstance(small, cst.Import):
            for alias in small.names:
                if alias.asname is None and dotted_name(alias.name) == name:
                    return True
    return False


def _imports_future(statement: cst.CSTNode) -> bool:
    return any(
        isinstance(small, cst.ImportFrom) and not small.relative and small.module is not None and dotted_name(small.module) == "__future__"
        for small in statement_imports(statement)
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




# ---------------------------------------------------------------------- edits


def replace_node(source: PythonSource, span: Span, code: str) -> cst.Module:
    """The expression at ``span`` becomes ``code`` (Python source of an expression), its
    strings in the quotes the module mostly uses."""
    node = source.node_at(span, cst.BaseExpression)
    new = requote(cst.parse_expression(code), module_quote(source.module))
    if node.lpar:
        new = new.with_changes(lpar=node.lpar, rpar=node.rpar)
    return source.replaced(node, new)


def add_statement(source: PythonSource, site: Span, code: str, imports: Sequence[str] = (), comment: str = "", match_quotes: bool = False) -> cst.Module:
    """``code`` (one statement) goes after the top-level statement holding ``site``; each
    module of ``imports`` is imported at the top first unless it already is.  With
    ``match_quotes``, the strings of ``code`` take the quotes the module mostly uses;
    ``comment`` is a comment line above the new statement."""
    node = source.node_at(site, cst.CSTNode)
    top = source.top_index(node)
    statement = cst.parse_statement(code)
    if match_quotes:
        statement = requote(statement, module_quote(source.module))
    if comment:
        statement = statement.with_changes(leading_lines=[cst.EmptyLine(), cst.EmptyLine(comment=cst.Comment(f"# {comment}"))])
    body = list(source.module.body)
    body.insert(top + 1, statement)
    module = source.module.with_changes(body=body)
    for name in imports:
        module = ensure_import(module, name, top + 1)
    return module


def replace_string(source: PythonSource, span: Span, old: str, new: str) -> cst.Module:
    """The string literal at ``span``, holding ``old``, holds ``new``, in its own quotes."""
    node = source.node_at(span, cst.SimpleString)
    if node.evaluated_value != old or node.prefix.lower() not in ("", "u"):
        raise Unresolvable("the string is not what the model saw")
    replacement = cst.SimpleString(node.prefix + string(new, node.quote).value, lpar=node.lpar, rpar=node.rpar)
    return source.replaced(node, replacement)


def move_element(source: PythonSource, item_span: Span, anchor_span: Span, after: bool = True) -> cst.Module:
    """The list element at ``item_span`` moves directly after (or before) the one at
    ``anchor_span``, in the same list display, with the comments on its line and the
    lines above it."""
    item = source.node_at(item_span, cst.BaseExpression)
    anchor = source.node_at(anchor_span, cst.BaseExpression)
    holder, index = container(source, item)
    anchor_holder, anchor_index = container(source, anchor)
    if anchor_holder is not holder or index == anchor_index:
        raise Unresolvable("not in one list display")
    order: list[int | None] = [k for k in range(len(holder.elements)) if k != index]
    position = order.index(anchor_index) + (1 if after else 0)
    order.insert(position, index)
    return source.replaced(holder, Layout(holder).rebuild(order))


def insert_element(source: PythonSource, anchor_span: Span, where: str, value: str) -> cst.Module:
    """A string element holding ``value`` goes ``"after"`` or ``"before"`` the element at
    ``anchor_span``, or ``"into"`` the empty list display at ``anchor_span``."""
    if where == "into":
        holder = source.node_at(anchor_span, (cst.List, cst.Tuple, cst.Set))
        assert isinstance(holder, (cst.List, cst.Tuple, cst.Set))  # as asked: node_at's type is their join
        if holder.elements:
            raise Unresolvable("the list is not empty")
        new_item = cst.Element(string(value))
        return source.replaced(holder, Layout(holder).rebuild([None], new_item))
    anchor = source.node_at(anchor_span, cst.BaseExpression)
    holder, index = container(source, anchor)
    order: list[int | None] = list(range(len(holder.elements)))
    order.insert(index + 1 if where == "after" else index, None)
    new_item = cst.Element(string(value, quote_of(anchor)))
    return source.replaced(holder, Layout(holder).rebuild(order, new_item))


def key_of(element: cst.BaseDictElement) -> object:
    if isinstance(element, cst.DictElement) and isinstance(element.key, (cst.SimpleString, cst.ConcatenatedString)):
        return element.key.evaluated_value
    return None


def dict_with(node: cst.Dict, key: str, code: str, first: bool, quote: str | None = None) -> cst.Dict:
    """``node`` with the entry ``key: code``, in the quotes of its first key (or ``quote``)."""
    if any(key_of(element) == key for element in node.elements):
        raise Unresolvable("the key is there already")
    if quote is None:
        keys = [e.key for e in node.elements if isinstance(e, cst.DictElement)]
        quote = quote_of(keys[0]) if keys else '"'
    entry = requote(cst.parse_expression(f"{{{string(key, quote).value}: {code}}}"), quote)
    assert isinstance(entry, cst.Dict)
    new_item = entry.elements[0]
    n = len(node.elements)
    order: list[int | None] = [None, *range(n)] if first else [*range(n), None]
    rebuilt = Layout(node).rebuild(order, new_item)
    assert isinstance(rebuilt, cst.Dict)
    return rebuilt


def add_dict_entry(source: PythonSource, dict_span: Span, key: str, code: str, first: bool = True) -> cst.Module:
    """The entry ``key: code`` goes first (or last) in the dict display at ``dict_span``,
    unless the key is there already; the strings take the quotes of the dict's keys."""
    node = source.node_at(dict_span, cst.Dict)
    return source.replaced(node, dict_with(node, key, code, first))


def add_keyword(source: PythonSource, call_span: Span, keyword: str, value: str) -> cst.Module:
    """``f(a, b=1)`` -> ``f(a, b=1, keyword=value)``; an existing ``keyword=`` gets ``value``
    (Python source)."""
    call = source.node_at(call_span, cst.Call)
    new_value = cst.parse_expression(value)
    args = list(call.args)
    for index, arg in enumerate(args):
        if arg.keyword is not None and arg.keyword.value == keyword:
            args[index] = arg.with_changes(value=new_value)
            return source.replaced(call, call.with_changes(args=args))
    if any(arg.star == "**" for arg in args):
        raise Unresolvable("**kwargs may hold the keyword")
    equal = next(
        (arg.equal for arg in args if arg.keyword is not None and isinstance(arg.equal, cst.AssignEqual)),
        cst.AssignEqual(whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")),
    )
    new_arg = cst.Arg(value=new_value, keyword=cst.Name(keyword), equal=equal)
    layout = Layout(call)
    new_call = layout.rebuild([*range(len(args)), None], new_arg)
    return source.replaced(call, new_call)


def breaks_line(source: PythonSource, node: cst.CSTNode) -> bool:
    """Whether the node's code runs over lines: without brackets around it, it may not parse."""
    code = source.module.code_for_node(node)
    return "\n" in code or "\r" in code


def env_call(call: cst.CSTNode) -> cst.Call:
    """An ``os.environ.get(...)`` / ``os.getenv(...)`` / ``getenv(...)`` call."""
    if not isinstance(call, cst.Call) or any(arg.star for arg in call.args):
        raise Unresolvable("not a plain call")
    func = call.func
    if isinstance(func, cst.Attribute) and func.attr.value in ("get", "getenv", "setdefault"):
        return call
    if isinstance(func, cst.Name) and func.value == "getenv":
        return call
    raise Unresolvable("not an os environment read")



def environ_subscript(call: cst.Call, var_node: cst.BaseExpression) -> tuple[cst.BaseExpression, bool]:
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



def assignment_line(source: PythonSource, name: cst.Name) -> tuple[cst.Assign, cst.SimpleStatementLine]:
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



# ---------------------------------------------------------------------- requirements


def add_requirement(text: str, name: str, satisfied_by: Sequence[str], read: Reader, files: frozenset[str]) -> str:
    """``text`` (of ``requirements.txt``) with ``name`` appended on a line of its own, unless
    it or one of ``satisfied_by`` is already required, there or in a file it includes:
    pip's files are read by the one parser the rules use.  The file's line ends are kept,
    and so is a missing final newline."""

    def current(rel: str) -> bytes | ParseError:
        return text.encode("utf-8") if rel == REQUIREMENTS else read(rel)

    present = pip_requirements(REQUIREMENTS, files, current)
    wanted = [parse_requirement(each) for each in (name, *satisfied_by)]
    if any(parsed is not None and parsed[0] in present for parsed in wanted):
        return text
    if text == "\ufeff":  # a byte order mark alone: the requirement is the first line
        return text + name + "\n"
    return append_line(text, name)


def append_line(text: str, line: str) -> str:
    """``text`` with ``line`` appended on a line of its own, ending as the file's lines end
    (``\n`` for an empty file); a missing final newline stays missing."""
    newline = "\r\n" if "\r\n" in text else "\r" if "\r" in text and "\n" not in text else "\n"
    if text and not text.endswith(("\n", "\r")):
        return text + newline + line
    return text + line + newline
