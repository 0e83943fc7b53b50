"""Positions of LibCST nodes: offsets into the module's code, measured along the tree.

LibCST finds positions by generating the code again, a Python call or three for each of
the 80,000-odd nodes of a 5,000-line module (whitespace, commas, brackets ...), which
costs about a quarter of the parse.  Here the tree is walked once, adding up the length
of the code each node would generate without generating it; the node types a settings
module is made of are measured by hand (whitespace and punctuation inline, in their
parent), the others through LibCST's own code generation (:class:`OffsetState`).

The result is an offset in characters into the module's code for the start and the end
of each node wanted; ``python.node_positions`` turns them into lines and columns.  Every
rule below mirrors a ``_codegen_impl`` of LibCST.  Two checks guard against a mistake:
the walk must end at the length of the module's text and meet every node wanted.  When
it does not (a node measured inline is wanted, such as a comma; LibCST drops a character
of the text), the caller measures again with ``every=True``: each statement through
LibCST's code generation, which meets every node, counted in the code LibCST generates.
``tests/test_positions.py`` holds both to LibCST's own PositionProvider.
"""

from __future__ import annotations

from collections.abc import Collection
from contextlib import nullcontext
from dataclasses import dataclass, field

import libcst as cst
from libcst._nodes.internal import CodegenState


_NO_RECORD = nullcontext()
_DEFAULT = cst.MaybeSentinel.DEFAULT


@dataclass
class OffsetState(CodegenState):
    """LibCST's code generation of one subtree, counting characters from ``pos``."""

    walk: _Walk | None = None
    pos: int = 0
    last: int = 0  # the length of the last token
    stack: list = field(default_factory=list)

    def record_syntactic_position(self, node, *, start_node=None, end_node=None):
        return _NO_RECORD

    def add_indent_tokens(self) -> None:
        for token in self.indent_tokens:
            self.pos += len(token)

    def add_token(self, value: str) -> None:
        self.last = len(value)
        self.pos += self.last

    def before_codegen(self, node) -> None:
        if id(node) in self.walk.wanted:  # type: ignore[union-attr]
            self.stack.append(self.pos)

    def after_codegen(self, node) -> None:
        if id(node) in self.walk.wanted:  # type: ignore[union-attr]
            self.walk.found[id(node)] = (self.stack.pop(), self.pos)  # type: ignore[union-attr]


class _Walk:
    """What the walk carries: the nodes wanted, what it found, the indentation."""

    __slots__ = ("wanted", "found", "indents", "indent", "default_indent", "default_newline", "last_newline")

    def __init__(self, module: cst.Module, wanted: Collection[int]) -> None:
        self.wanted = wanted
        self.found: dict[int, tuple[int, int]] = {}  # id -> (start, end)
        self.indents: list[str] = []
        self.indent = 0  # the length of the indentation tokens
        self.default_indent = module.default_indent
        self.default_newline = module.default_newline
        self.last_newline = 0  # the length of the last newline token (Module pops it without a trailing newline)

    def generic(self, node: cst.CSTNode, pos: int, **kwargs: object) -> int:
        state = OffsetState(
            default_indent=self.default_indent,
            default_newline=self.default_newline,
            indent_tokens=list(self.indents),
            walk=self,
            pos=pos,
            last=self.last_newline,
        )
        node._codegen(state, **kwargs)
        self.last_newline = state.last
        return state.pos


_SW = cst.SimpleWhitespace
_PW = cst.ParenthesizedWhitespace
_COMMA = cst.Comma
_LEAVES = frozenset((cst.Name, cst.SimpleString, cst.Integer, cst.Float, cst.Imaginary))  # a token, maybe parenthesized


def _ws(node: cst.CSTNode, pos: int, w: _Walk) -> int:
    """Whitespace: a SimpleWhitespace, a ParenthesizedWhitespace or a TrailingWhitespace."""
    kind = type(node)
    if kind is _SW:
        return pos + len(node.value)  # type: ignore[attr-defined]
    if kind is _PW:
        pos = _trailing(node.first_line, pos, w)  # type: ignore[attr-defined]
        for line in node.empty_lines:  # type: ignore[attr-defined]
            pos = _empty_line(line, pos, w)
        if node.indent:  # type: ignore[attr-defined]
            pos += w.indent
        return _ws(node.last_line, pos, w)  # type: ignore[attr-defined]
    if kind is cst.TrailingWhitespace:
        return _trailing(node, pos, w)  # type: ignore[arg-type]
    return w.generic(node, pos)


def _newline(node: cst.Newline, pos: int, w: _Walk) -> int:
    size = len(w.default_newline if node.value is None else node.value)
    w.last_newline = size
    return pos + size


def _trailing(node: cst.TrailingWhitespace, pos: int, w: _Walk) -> int:
    ws = node.whitespace
    pos += len(ws.value) if type(ws) is _SW else _ws(ws, pos, w) - pos
    if node.comment is not None:
        pos += len(node.comment.value)
    return _newline(node.newline, pos, w)


def _empty_line(node: cst.EmptyLine, pos: int, w: _Walk) -> int:
    """A trailing whitespace, comment and newline on a line of their own, maybe indented."""
    return _trailing(node, pos + w.indent if node.indent else pos, w)  # type: ignore[arg-type]


def _op(node: cst.CSTNode, pos: int, w: _Walk) -> int:
    """An operator or punctuation owning whitespace on both sides (``,`` ``.`` ``==`` ``+`` ...)."""
    kind = type(node)
    if kind in _ONE_TOKEN:
        ws = node.whitespace_before  # type: ignore[attr-defined]
        pos = pos + len(ws.value) if type(ws) is _SW else _ws(ws, pos, w)
        pos += len(node._get_token())  # type: ignore[attr-defined]
        ws = node.whitespace_after  # type: ignore[attr-defined]
        return pos + len(ws.value) if type(ws) is _SW else _ws(ws, pos, w)
    if kind in _UNARY:
        pos += len(node._get_token())  # type: ignore[attr-defined]
        return _ws(node.whitespace_after, pos, w)  # type: ignore[attr-defined]
    return w.generic(node, pos)


_ONE_TOKEN = frozenset(
    getattr(cst, name)
    for name in (
        "Add AddAssign And AssignEqual BitAnd BitAndAssign BitOr BitOrAssign BitXor BitXorAssign Colon Comma "
        "Divide DivideAssign Dot Equal FloorDivide FloorDivideAssign GreaterThan GreaterThanEqual In Is LeftShift "
        "LeftShiftAssign LessThan LessThanEqual MatrixMultiply MatrixMultiplyAssign Modulo ModuloAssign Multiply "
        "MultiplyAssign NotEqual Or Power PowerAssign RightShift RightShiftAssign Semicolon Subtract SubtractAssign"
    ).split()
)
_UNARY = frozenset((cst.BitInvert, cst.Minus, cst.Not, cst.Plus))


def _node(node: cst.CSTNode, pos: int, w: _Walk) -> int:
    """Any node generated without arguments: an expression, a statement, a block."""
    kind = type(node)
    if kind in _LEAVES and not node.lpar:  # type: ignore[attr-defined]
        end = pos + len(node.value)  # type: ignore[attr-defined]
        if id(node) in w.wanted:
            w.found[id(node)] = (pos, end)
        return end
    handler = _HANDLERS.get(kind)
    end = handler(node, pos, w) if handler is not None else w.generic(node, pos)
    if id(node) in w.wanted:
        w.found[id(node)] = (pos, end)
    return end


def _comma(comma: object, pos: int, w: _Walk, default_comma: bool, default_whitespace: bool = True) -> int:
    if comma is _DEFAULT:
        if default_comma:
            return pos + (2 if default_whitespace else 1)
        return pos
    if type(comma) is _COMMA:
        ws = comma.whitespace_before
        pos = pos + len(ws.value) if type(ws) is _SW else _ws(ws, pos, w)
        ws = comma.whitespace_after
        return pos + 1 + len(ws.value) if type(ws) is _SW else _ws(ws, pos + 1, w)
    return pos


def _element(node: cst.CSTNode, pos: int, w: _Walk, default_comma: bool, default_whitespace: bool) -> int:
    """An element of a list, tuple, set or dict display (the hottest path: leaves inline)."""
    start = pos
    kind = type(node)
    wanted = w.wanted
    if kind is cst.DictElement:
        key = node.key  # type: ignore[attr-defined]
        if type(key) in _LEAVES and not key.lpar:
            end = pos + len(key.value)
            if id(key) in wanted:
                w.found[id(key)] = (pos, end)
            pos = end
        else:
            pos = _node(key, pos, w)
        ws = node.whitespace_before_colon  # type: ignore[attr-defined]
        pos = (pos + len(ws.value) if type(ws) is _SW else _ws(ws, pos, w)) + 1
        ws = node.whitespace_after_colon  # type: ignore[attr-defined]
        pos = pos + len(ws.value) if type(ws) is _SW else _ws(ws, pos, w)
        value = node.value  # type: ignore[attr-defined]
    elif kind is cst.Element:
        value = node.value  # type: ignore[attr-defined]
    elif kind is cst.StarredDictElement:
        ws = node.whitespace_before_value  # type: ignore[attr-defined]
        pos = pos + 2 + len(ws.value) if type(ws) is _SW else _ws(ws, pos + 2, w)
        value = node.value  # type: ignore[attr-defined]
    else:  # a StarredElement (parenthesized), or anything new
        pos = w.generic(node, pos, default_comma=default_comma, default_comma_whitespace=default_whitespace)
        if id(node) in wanted:
            w.found[id(node)] = (start, pos)
        return pos
    if type(value) in _LEAVES and not value.lpar:
        end = pos + len(value.value)
        if id(value) in wanted:
            w.found[id(value)] = (pos, end)
        pos = end
    else:
        pos = _node(value, pos, w)
    comma = node.comma  # type: ignore[attr-defined]
    if type(comma) is _COMMA:
        ws = comma.whitespace_before
        pos = pos + len(ws.value) if type(ws) is _SW else _ws(ws, pos, w)
        ws = comma.whitespace_after
        pos = pos + 1 + len(ws.value) if type(ws) is _SW else _ws(ws, pos + 1, w)
    else:
        pos = _comma(comma, pos, w, default_comma, default_whitespace)
    if id(node) in wanted:
        w.found[id(node)] = (start, pos)
    return pos


def _elements(elements, pos: int, w: _Walk) -> int:
    last = len(elements) - 1
    for index, element in enumerate(elements):
        pos = _element(element, pos, w, index < last, True)
    return pos


def _lpar(node, pos: int, w: _Walk) -> int:
    for lpar in node.lpar:
        ws = lpar.whitespace_after
        pos = pos + 1 + len(ws.value) if type(ws) is _SW else _ws(ws, pos + 1, w)
    return pos


def _rpar(node, pos: int, w: _Walk) -> int:
    for rpar in node.rpar:
        ws = rpar.whitespace_before
        pos = (pos + len(ws.value) if type(ws) is _SW else _ws(ws, pos, w)) + 1
    return pos


def _token(node, pos: int, w: _Walk) -> int:
    """Name, SimpleString, Integer, Float, Imaginary."""
    if node.lpar:
        return _rpar(node, _lpar(node, pos, w) + len(node.value), w)
    return pos + len(node.value)


def _concatenated(node: cst.ConcatenatedString, pos: int, w: _Walk) -> int:
    if node.lpar:
        pos = _lpar(node, pos, w)
    pos = _node(node.left, pos, w)
    ws = node.whitespace_between
    pos = pos + len(ws.value) if type(ws) is _SW else _ws(ws, pos, w)
    pos = _node(node.right, pos, w)
    return _rpar(node, pos, w) if node.rpar else pos


def _display(node, after_open, before_close, pos: int, w: _Walk) -> int:
    """A display between one-character brackets, given the whitespace inside each."""
    if node.lpar:
        pos = _lpar(node, pos, w)
    pos = pos + 1 + len(after_open.value) if type(after_open) is _SW else _ws(after_open, pos + 1, w)
    pos = _elements(node.elements, pos, w)
    pos = (pos + len(before_close.value) if type(before_close) is _SW else _ws(before_close, pos, w)) + 1
    return _rpar(node, pos, w) if node.rpar else pos


def _braced(node, pos: int, w: _Walk) -> int:
    """Dict and Set displays."""
    return _display(node, node.lbrace.whitespace_after, node.rbrace.whitespace_before, pos, w)


def _list(node: cst.List, pos: int, w: _Walk) -> int:
    return _display(node, node.lbracket.whitespace_after, node.rbracket.whitespace_before, pos, w)


def _tuple(node: cst.Tuple, pos: int, w: _Walk) -> int:
    if node.lpar:
        pos = _lpar(node, pos, w)
    elements = node.elements
    if len(elements) == 1:
        pos = _element(elements[0], pos, w, True, False)
    else:
        pos = _elements(elements, pos, w)
    return _rpar(node, pos, w) if node.rpar else pos


def _call(node: cst.Call, pos: int, w: _Walk) -> int:
    if node.lpar:
        pos = _lpar(node, pos, w)
    pos = _node(node.func, pos, w)
    ws = node.whitespace_after_func
    pos = (pos + len(ws.value) if type(ws) is _SW else _ws(ws, pos, w)) + 1
    ws = node.whitespace_before_args
    pos = pos + len(ws.value) if type(ws) is _SW else _ws(ws, pos, w)
    args = node.args
    last = len(args) - 1
    wanted = w.wanted
    for index, arg in enumerate(args):
        start = pos
        if type(arg) is not cst.Arg:
            pos = w.generic(arg, pos, default_comma=index != last)
        else:
            pos += len(arg.star)
            ws = arg.whitespace_after_star
            pos = pos + len(ws.value) if type(ws) is _SW else _ws(ws, pos, w)
            if arg.keyword is not None:
                pos = _node(arg.keyword, pos, w)
            equal = arg.equal
            if equal is _DEFAULT:
                if arg.keyword is not None:
                    pos += 3
            elif type(equal) is cst.AssignEqual:
                pos = _op(equal, pos, w)
            pos = _node(arg.value, pos, w)
            comma = arg.comma
            if comma is _DEFAULT:
                if index != last:
                    pos += 2
            elif type(comma) is _COMMA:
                pos = _comma(comma, pos, w, False)
            ws = arg.whitespace_after_arg
            pos = pos + len(ws.value) if type(ws) is _SW else _ws(ws, pos, w)
        if id(arg) in wanted:
            w.found[id(arg)] = (start, pos)
    return _rpar(node, pos + 1, w) if node.rpar else pos + 1


def _attribute(node: cst.Attribute, pos: int, w: _Walk) -> int:
    if node.lpar:
        pos = _lpar(node, pos, w)
    pos = _node(node.value, pos, w)
    pos = _op(node.dot, pos, w)
    pos = _node(node.attr, pos, w)
    return _rpar(node, pos, w) if node.rpar else pos


def _subscript(node: cst.Subscript, pos: int, w: _Walk) -> int:
    if node.lpar:
        pos = _lpar(node, pos, w)
    pos = _node(node.value, pos, w)
    ws = node.whitespace_after_value
    pos = pos + len(ws.value) if type(ws) is _SW else _ws(ws, pos, w)
    ws = node.lbracket.whitespace_after
    pos = pos + 1 + len(ws.value) if type(ws) is _SW else _ws(ws, pos + 1, w)
    elements = node.slice
    last = len(elements) - 1
    for index, element in enumerate(elements):
        start = pos
        index_node = element.slice
        if type(index_node) is cst.Index and id(index_node) not in w.wanted:
            if index_node.star is not None:
                pos += len(index_node.star)
            if index_node.whitespace_after_star is not None:
                ws = index_node.whitespace_after_star
                pos = pos + len(ws.value) if type(ws) is _SW else _ws(ws, pos, w)
            pos = _node(index_node.value, pos, w)
        else:
            pos = _node(index_node, pos, w)
        pos = _comma(element.comma, pos, w, index != last)
        if id(element) in w.wanted:
            w.found[id(element)] = (start, pos)
    ws = node.rbracket.whitespace_before
    pos = (pos + len(ws.value) if type(ws) is _SW else _ws(ws, pos, w)) + 1
    return _rpar(node, pos, w) if node.rpar else pos


def _comparison(node: cst.Comparison, pos: int, w: _Walk) -> int:
    if node.lpar:
        pos = _lpar(node, pos, w)
    pos = _node(node.left, pos, w)
    for target in node.comparisons:
        start = pos
        pos = _op(target.operator, pos, w)
        pos = _node(target.comparator, pos, w)
        if id(target) in w.wanted:
            w.found[id(target)] = (start, pos)
    return _rpar(node, pos, w) if node.rpar else pos


def _binary(node, pos: int, w: _Walk) -> int:
    """BinaryOperation and BooleanOperation."""
    if node.lpar:
        pos = _lpar(node, pos, w)
    pos = _node(node.left, pos, w)
    pos = _op(node.operator, pos, w)
    pos = _node(node.right, pos, w)
    return _rpar(node, pos, w) if node.rpar else pos


def _unary(node: cst.UnaryOperation, pos: int, w: _Walk) -> int:
    if node.lpar:
        pos = _lpar(node, pos, w)
    pos = _op(node.operator, pos, w)
    pos = _node(node.expression, pos, w)
    return _rpar(node, pos, w) if node.rpar else pos


def _small(node: cst.CSTNode, pos: int, w: _Walk, default_semicolon: bool) -> int:
    """A small statement: Assign, AugAssign and Expr by hand, the others generic."""
    start = pos
    kind = type(node)
    if kind is cst.Assign:
        for target in node.targets:  # type: ignore[attr-defined]
            target_start = pos
            pos = _node(target.target, pos, w)
            ws = target.whitespace_before_equal
            pos = (pos + len(ws.value) if type(ws) is _SW else _ws(ws, pos, w)) + 1
            ws = target.whitespace_after_equal
            pos = pos + len(ws.value) if type(ws) is _SW else _ws(ws, pos, w)
            if id(target) in w.wanted:
                w.found[id(target)] = (target_start, pos)
        pos = _node(node.value, pos, w)  # type: ignore[attr-defined]
    elif kind is cst.AugAssign:
        pos = _node(node.target, pos, w)  # type: ignore[attr-defined]
        pos = _op(node.operator, pos, w)  # type: ignore[attr-defined]
        pos = _node(node.value, pos, w)  # type: ignore[attr-defined]
    elif kind is cst.Expr:
        pos = _node(node.value, pos, w)  # type: ignore[attr-defined]
    else:
        pos = w.generic(node, pos, default_semicolon=default_semicolon)
        if id(node) in w.wanted:
            w.found[id(node)] = (start, pos)
        return pos
    semicolon = node.semicolon  # type: ignore[attr-defined]
    if semicolon is _DEFAULT:
        if default_semicolon:
            pos += 2
    elif type(semicolon) is cst.Semicolon:
        pos = _op(semicolon, pos, w)
    if id(node) in w.wanted:
        w.found[id(node)] = (start, pos)
    return pos


def _simple_line(node: cst.SimpleStatementLine, pos: int, w: _Walk) -> int:
    for line in node.leading_lines:
        pos = _empty_line(line, pos, w)
    pos += w.indent
    body = node.body
    if body:
        last = len(body) - 1
        for index, small in enumerate(body):
            pos = _small(small, pos, w, index != last)
    else:
        pos += 4  # "pass"
    return _trailing(node.trailing_whitespace, pos, w)


def _block(node: cst.IndentedBlock, pos: int, w: _Walk) -> int:
    pos = _trailing(node.header, pos, w)
    indent = w.default_indent if node.indent is None else node.indent
    w.indents.append(indent)
    w.indent += len(indent)
    try:
        if node.body:
            for statement in node.body:
                pos = _node(statement, pos, w)
        else:
            pos = _newline_token(pos + w.indent + 4, w)  # "pass"
        for line in node.footer:
            pos = _empty_line(line, pos, w)
    finally:
        w.indents.pop()
        w.indent -= len(indent)
    return pos


def _newline_token(pos: int, w: _Walk) -> int:
    w.last_newline = len(w.default_newline)
    return pos + w.last_newline


def _if(node: cst.If, pos: int, w: _Walk, is_elif: bool = False) -> int:
    for line in node.leading_lines:
        pos = _empty_line(line, pos, w)
    pos += w.indent + (4 if is_elif else 2)
    ws = node.whitespace_before_test
    pos = pos + len(ws.value) if type(ws) is _SW else _ws(ws, pos, w)
    pos = _node(node.test, pos, w)
    ws = node.whitespace_after_test
    pos = (pos + len(ws.value) if type(ws) is _SW else _ws(ws, pos, w)) + 1
    pos = _node(node.body, pos, w)
    orelse = node.orelse
    if orelse is not None:
        start = pos
        if type(orelse) is cst.If:
            pos = _if(orelse, pos, w, True)
        elif type(orelse) is cst.Else:
            for line in orelse.leading_lines:
                pos = _empty_line(line, pos, w)
            pos += w.indent + 4
            ws = orelse.whitespace_before_colon
            pos = (pos + len(ws.value) if type(ws) is _SW else _ws(ws, pos, w)) + 1
            pos = _node(orelse.body, pos, w)
        else:
            pos = w.generic(orelse, pos)
        if id(orelse) in w.wanted:
            w.found[id(orelse)] = (start, pos)
    return pos


_HANDLERS = {
    cst.Name: _token,
    cst.SimpleString: _token,
    cst.Integer: _token,
    cst.Float: _token,
    cst.Imaginary: _token,
    cst.ConcatenatedString: _concatenated,
    cst.Dict: _braced,
    cst.Set: _braced,
    cst.List: _list,
    cst.Tuple: _tuple,
    cst.Call: _call,
    cst.Attribute: _attribute,
    cst.Subscript: _subscript,
    cst.Comparison: _comparison,
    cst.BinaryOperation: _binary,
    cst.BooleanOperation: _binary,
    cst.UnaryOperation: _unary,
    cst.SimpleStatementLine: _simple_line,
    cst.IndentedBlock: _block,
    cst.If: _if,
}


def offsets(
    module: cst.Module, wanted: Collection[int], size: int, complete: bool = True, every: bool = False
) -> tuple[dict[int, tuple[int, int]], int] | None:
    """The start and end offsets of the ``wanted`` nodes (keyed by id) in the module's code.

    ``size`` is the length of the module's code; ``None`` when the walk does not end
    there or missed a node wanted (the caller then measures again with ``every``, which
    measures each statement through LibCST's code generation and so meets every node).
    The second item is where the code generated ends: past ``size`` when the module has
    no trailing newline, since LibCST generates the last one and then drops it (the
    last statement still ends on the line after it, as LibCST counts).
    """
    w = _Walk(module, wanted)
    pos = 0
    if every:
        try:
            for part in (*module.header, *module.body, *module.footer):
                pos = w.generic(part, pos)
        except RecursionError:  # pragma: no cover - deeply nested expressions: the nodes met so far
            return w.found, pos
    else:
        for line in module.header:
            pos = _empty_line(line, pos, w)
        for statement in module.body:
            pos = _node(statement, pos, w)
        for line in module.footer:
            pos = _empty_line(line, pos, w)
    end = pos
    if module.has_trailing_newline:
        if pos == 0:
            pos = end = len(w.default_newline)
    elif pos:
        pos -= w.last_newline
    if pos != size:
        return None
    found = w.found
    if complete and len(found) != len(wanted):  # only nodes wanted are found
        return None
    return found, end
