"""Evaluating expressions of a settings module into plain values, without running them.

``Evaluator.eval`` turns an expression into a ``values.Value``: literals and displays
into ``Literal``, ``ListValue`` and ``DictValue``; a name into its single value (its
alternatives come from ``eval_alts``); ``a + b`` of lists and strings, ``BASE_DIR /
"x"``, ``or`` after an environment read (its fallback) and ``Path(...).parent`` as
far as they can be known; anything else into ``Unknown``.

A call or a subscript is named through the import tracker (``imports.py``) and handed
to the recogniser registered for that name (``recognizers.py``): that is where the
knowledge of libraries lives.  What no recogniser claims gets the generic treatment
here: a function of an environment read is that read with an unknown cast, a string
method keeps it a string (``.split`` makes it a list), a ``pathlib`` method keeps a
path a path, ``"a,b".split(",")`` is a list; anything else is unknown.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import libcst as cst

from ..ftypes import Span
from .branches import Names, dedupe
from .imports import ImportTracker
from .recognizers import VALUES, Args, Call
from .spans import SpanMaker
from .values import PATHLIB, DictValue, EnvRead, ListValue, Literal, ReadSite, Unknown, Value, is_path_string, is_pathlib

STRING_METHODS = ("lower", "upper", "strip", "lstrip", "rstrip", "casefold", "title", "replace")
PATHLIB_METHODS = ("resolve", "absolute", "expanduser", "joinpath", "with_name", "with_stem", "with_suffix", "relative_to")

OR_RIGHT = "when what comes before its `or` is empty"
MAX_REPLACED = 100_000  # the most text a fallback's ``.replace(...)`` may add to be worked out

_CONSTANTS = {"True": True, "False": False, "None": None}
_SEQUENCE_KINDS = {cst.List: "list", cst.Tuple: "tuple", cst.Set: "set"}


class Evaluator:
    """Evaluates the expressions of one module against its names and imports."""

    def __init__(self, names: Names, imports: ImportTracker, spans: SpanMaker) -> None:
        self.names = names
        self.imports = imports
        self.spans = spans
        self.events: list[tuple[str, Span]] = []  # what the module's code did (values.SettingsModel.events)
        # Every environment read a recogniser made (values.SettingsModel.env_reads), with the
        # module-level name the statement being run assigns, and whether it may not run: the
        # runner's guard (try, an undecided if, a loop), or a part of an expression that runs
        # on some paths (`a if t else b`, the right of `or`).
        self.reads: list[ReadSite] = []
        self.target = ""
        self.guard = 0
        self.branching = 0
        self.conditions: list[str] = []  # why the code being run may not run, innermost last
        # What a committed file makes of a read (``interpreter.ModuleRunner.from_committed_file``),
        # given the read and the qualified name of what was called.
        self.overlay: Callable[[EnvRead, str], EnvRead] | None = None

    def qualname(self, node: cst.BaseExpression) -> str | None:
        """What a name or attribute chain names (``os.environ.get``), None for a module variable's."""
        return self.imports.qualname(node, self.names.env)

    def state_of(self, node: cst.BaseExpression) -> object:
        """What the object at the root of ``node`` (``env`` of ``env.bool``) was made with."""
        while isinstance(node, cst.Attribute):
            node = node.value
        return self.imports.state_of(node.value if isinstance(node, cst.Name) else None)

    def truth(self, test: cst.BaseExpression) -> bool | None:
        """The certain truth of an ``if`` test, when it is a known literal."""
        if isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
            inner = self.truth(test.expression)
            return None if inner is None else not inner
        value = self.eval_certain(test)
        if isinstance(value, Literal):
            return bool(value.value)
        return None

    def eval_certain(self, node: cst.BaseExpression) -> Value | None:
        values = self.eval_alts(node)
        return values[0] if len(values) == 1 else None

    def eval_alts(self, node: cst.BaseExpression) -> tuple[Value, ...]:
        """The alternatives an expression may evaluate to."""
        kind = type(node)
        if kind is cst.IfExp:
            self.branching += 1
            try:
                with self.under("in one branch of a conditional expression"):
                    return dedupe(self.eval_alts(node.body) + self.eval_alts(node.orelse))  # type: ignore[attr-defined]
            finally:
                self.branching -= 1
        if kind is cst.BooleanOperation and type(node.operator) is cst.Or:  # type: ignore[attr-defined]
            left = self.eval(node.left)  # type: ignore[attr-defined]
            if isinstance(left, EnvRead) and isinstance(left.default, Literal) and left.default.value:
                # ``read or y`` with a true fallback: the read, or y when the variable is set but empty.
                return dedupe((left, *self.right_alts(node.right)))  # type: ignore[attr-defined]
        if kind is cst.Name:
            binding = self.names.env.get(node.value)  # type: ignore[attr-defined]
            if binding is not None:
                return binding.values
        return (self.eval(node),)

    def note_read(self, read: EnvRead) -> None:
        guarded = self.guard > 0 or self.branching > 0
        self.reads.append(ReadSite(read, self.target, guarded, self.conditions[-1] if guarded and self.conditions else ""))

    @contextmanager
    def under(self, condition: str) -> Iterator[None]:
        """Run the code in the block knowing it runs only ``condition`` (for the reads it makes)."""
        self.conditions.append(condition)
        try:
            yield
        finally:
            self.conditions.pop()

    def right_alts(self, node: cst.BaseExpression) -> tuple[Value, ...]:
        """The alternatives of the right of an ``or``, which runs only when the left is false."""
        self.branching += 1
        try:
            with self.under(OR_RIGHT):
                return self.eval_alts(node)
        finally:
            self.branching -= 1

    def eval(self, node: cst.BaseExpression) -> Value:
        # Exact type checks (LibCST's node classes are ABCs, so every isinstance check
        # that fails is slow; none of these classes has subclasses), a span only for the
        # values that keep one, and one frame per level of nesting: a deep expression
        # must not run out of stack sooner than it did.
        kind = type(node)
        if kind is cst.SimpleString or kind is cst.ConcatenatedString:
            value = string_value(node) if kind is cst.SimpleString else concatenated_value(node)  # type: ignore[arg-type]
            if isinstance(value, str):
                return Literal(value, self.spans(node))
            return Unknown(self.spans(node), "bytes" if value is not None else "str")
        if kind is cst.Name:
            name = node.value  # type: ignore[attr-defined]
            if name in _CONSTANTS:
                return Literal(_CONSTANTS[name], self.spans(node))
            binding = self.names.env.get(name)
            if binding is not None and len(binding.values) == 1:
                return binding.values[0]
            return Unknown(self.spans(node), "name", name)
        if kind is cst.Integer:
            try:
                return Literal(int(node.value.replace("_", ""), 0), self.spans(node))  # type: ignore[attr-defined]
            except ValueError:
                return Unknown(self.spans(node), "int")
        if kind is cst.Dict:
            entries: list[tuple[Value, Value]] = []
            for element in node.elements:  # type: ignore[attr-defined]
                if type(element) is cst.StarredDictElement:
                    inner = self.eval(element.value)
                    if isinstance(inner, DictValue):
                        entries.extend(inner.entries)
                    else:
                        entries.append((Unknown(self.spans(element), "starred"), Unknown(self.spans(element), "starred")))
                else:
                    entries.append((self.eval(element.key), self.eval(element.value)))
            return DictValue(tuple(entries), self.spans(node))
        if kind is cst.List or kind is cst.Tuple or kind is cst.Set:
            items: list[Value] = []
            for element in node.elements:  # type: ignore[attr-defined]
                if type(element) is cst.StarredElement:
                    inner = self.eval(element.value)
                    if isinstance(inner, ListValue):
                        items.extend(inner.items)
                    else:
                        items.append(Unknown(self.spans(element), "starred"))
                else:
                    items.append(self.eval(element.value))
            return ListValue(tuple(items), self.spans(node), _SEQUENCE_KINDS[kind])
        if kind is cst.Call:
            return self.eval_call(node, self.spans(node))  # type: ignore[arg-type]
        if kind is cst.Subscript:
            return self.eval_subscript(node, self.spans(node))  # type: ignore[arg-type]
        if kind is cst.Attribute:
            qual = self.qualname(node)
            if qual is None and node.attr.value == "parent" and is_pathlib(self.eval(node.value)):  # type: ignore[attr-defined]
                return Unknown(self.spans(node), "path", PATHLIB)
            return Unknown(self.spans(node), "attribute", qual or "")
        if kind is cst.FormattedString:
            return Unknown(self.spans(node), "str", "f-string")
        if kind is cst.Float:
            return Literal(float(node.value.replace("_", "")), self.spans(node))  # type: ignore[attr-defined]
        if kind is cst.BooleanOperation:
            left = self.eval(node.left)  # type: ignore[attr-defined]
            if type(node.operator) is cst.Or and isinstance(left, EnvRead) and _falsy_fallback(left):  # type: ignore[attr-defined]
                # ``read or y``, the read's own fallback (if any) false: y whenever the variable is unset.
                span = self.spans(node)
                self.branching += 1
                try:
                    with self.under(OR_RIGHT):
                        right = self.eval(node.right)  # type: ignore[attr-defined]
                finally:
                    self.branching -= 1
                return dataclasses.replace(left, span=span, default=right, fallback_via="or")
            return Unknown(self.spans(node), "bool" if type(node.operator) is cst.And else "")  # type: ignore[attr-defined]
        if kind is cst.Comparison:
            return self.eval_comparison(node, self.spans(node))  # type: ignore[arg-type]
        if kind is cst.UnaryOperation:
            if type(node.operator) is cst.Not:  # type: ignore[attr-defined]
                return Unknown(self.spans(node), "bool")
            inner = self.eval(node.expression)  # type: ignore[attr-defined]
            if type(node.operator) is cst.Minus and isinstance(inner, Literal) and isinstance(inner.value, (int, float)):  # type: ignore[attr-defined]
                return Literal(-inner.value, self.spans(node))
            return Unknown(self.spans(node))
        if kind is cst.BinaryOperation:
            if type(node.operator) is cst.Divide:  # type: ignore[attr-defined]
                left = self.eval(node.left)  # type: ignore[attr-defined]
                if is_path_string(left):
                    self.events.append(("string-division", self.spans(node)))
                return Unknown(self.spans(node), "path", PATHLIB if is_pathlib(left) else "")
            if type(node.operator) is cst.Add:  # type: ignore[attr-defined]
                left, right = self.eval(node.left), self.eval(node.right)  # type: ignore[attr-defined]
                if isinstance(left, Literal) and isinstance(right, Literal) and isinstance(left.value, str) and isinstance(right.value, str):
                    return Literal(left.value + right.value, self.spans(node))
                return concat(left, right, self.spans(node))
            return Unknown(self.spans(node))
        if kind is cst.IfExp:
            return Unknown(self.spans(node), "alternatives")
        return Unknown(self.spans(node))

    def eval_comparison(self, node: cst.Comparison, span: Span) -> Value:
        """A bool; of an environment read with a literal fallback (``os.environ.get("DEBUG",
        "True").lower() in ("1", "true")``, ``== "True"``) that the comparison makes true,
        a read cast to bool whose fallback is ``True``: true whenever the variable is unset."""
        if len(node.comparisons) == 1:
            target = node.comparisons[0]
            op = type(target.operator)
            left, right = self.eval(node.left), self.eval(target.comparator)
            if isinstance(right, EnvRead) and op in (cst.Equal, cst.NotEqual):
                left, right = right, left
            if isinstance(left, EnvRead) and left.yields_string and left.wrapper is None and isinstance(left.default, Literal):
                unset = left.default.value
                result = _compare(unset, op, right) if isinstance(unset, str) else None
                if result is True:
                    return dataclasses.replace(left, span=span, cast="bool", default=Literal(True, left.default.span))
        return Unknown(span, "bool")

    def eval_subscript(self, node: cst.Subscript, span: Span) -> Value:
        key = index_key(node)
        qual = self.qualname(node.value)
        if qual is not None:
            recognize = VALUES.exact.get(qual + "[]")  # by its exact name only: no ``prefix.*`` or ``*.last``
            if recognize is not None:
                # The key evaluated here, not by the recogniser: a frame fewer per level of nesting.
                args = Args([key], {}, self, {id(key): self.eval(key)}) if key is not None else Args([], {}, self)
                found = recognize(Call(qual + "[]", node, span, self), args)
                if isinstance(found, EnvRead) and self.overlay is not None:
                    found = self.overlay(found, qual)
                if found is not None:
                    if isinstance(found, EnvRead):
                        self.note_read(found)
                    return found
        if isinstance(node.value, cst.Attribute) and node.value.attr.value == "parents" and is_pathlib(self.eval(node.value.value)):
            return Unknown(span, "path", PATHLIB)
        base = self.eval(node.value)
        if isinstance(base, DictValue) and key is not None:
            k = self.eval(key)
            if isinstance(k, Literal):
                found = base.get(k.value)  # type: ignore[arg-type]
                if found is not None:
                    return found
        return Unknown(span, "subscript")

    def eval_call(self, node: cst.Call, span: Span) -> Value:
        qual = self.qualname(node.func) or ""
        # Every argument evaluated here, each once, rather than when a recogniser asks:
        # nested calls then cost two frames a level (eval, eval_call), no more.
        positional: list[cst.BaseExpression] = []
        keywords: dict[str, cst.BaseExpression] = {}
        values: dict[int, Value] = {}
        for arg in node.args:
            if arg.keyword is not None:
                keywords[arg.keyword.value] = arg.value
            elif not arg.star:
                positional.append(arg.value)
            else:
                continue
            values[id(arg.value)] = self.eval(arg.value)
        args = Args(positional, keywords, self, values)
        recognize = VALUES.find(qual)
        if recognize is not None:
            found = recognize(Call(qual, node, span, self), args)
            if isinstance(found, EnvRead) and self.overlay is not None:
                found = self.overlay(found, qual)
            if found is not None:
                if isinstance(found, EnvRead):
                    self.note_read(found)
                return found
        # A conversion applied to an environment read.
        if args.positional and not args.keywords:
            inner = args.value(0)
            if isinstance(inner, EnvRead):
                return dataclasses.replace(inner, span=span, cast="unknown")
        # A method called on an environment read, a path or a string.
        if isinstance(node.func, cst.Attribute):
            receiver = self.eval(node.func.value)
            method = node.func.attr.value
            if isinstance(receiver, EnvRead) and receiver.yields_string:
                if method in STRING_METHODS:
                    return dataclasses.replace(receiver, span=span, default=_string_method(receiver.default, method, args))
                if method == "split":
                    return dataclasses.replace(receiver, span=span, cast="list")
                return dataclasses.replace(receiver, span=span, cast="unknown")
            if method in PATHLIB_METHODS and is_pathlib(receiver):
                return Unknown(span, "path", PATHLIB)
            if isinstance(receiver, Literal) and isinstance(receiver.value, str) and method == "split":
                sep_value = args.value(0)
                sep = sep_value.value if isinstance(sep_value, Literal) and isinstance(sep_value.value, str) else None
                return ListValue(tuple(Literal(p, receiver.span) for p in receiver.value.split(sep)), span)
        return Unknown(span, f"call:{qual}" if qual else "call")


# ---------------------------------------------------------------------- helpers


def _falsy_fallback(read: EnvRead) -> bool:
    """True when the read has no fallback, or a literal false one (``False``, ``""``, ``None``, ``0``)."""
    return read.default is None or (isinstance(read.default, Literal) and not read.default.value)


def _string_method(default: Value | None, method: str, args: Args) -> Value | None:
    """A read's fallback after a string method (``.lower()``): the literal it becomes, or an
    unknown string when the method's arguments are not literal strings."""
    if not isinstance(default, Literal) or not isinstance(default.value, str):
        return default
    texts = [args.value(index) for index in range(len(args.positional))]
    if args.keywords or not all(isinstance(t, Literal) and isinstance(t.value, str) for t in texts):
        return Unknown(default.span, "str")
    if method == "replace" and len(texts) >= 2:
        old, new = texts[0].value, texts[1].value  # type: ignore[union-attr]
        if default.value.count(old) * len(new) > MAX_REPLACED:  # type: ignore[arg-type]
            return Unknown(default.span, "str")  # a string made to fill the memory is not worth knowing
    try:
        result = getattr(default.value, method)(*(t.value for t in texts))  # type: ignore[union-attr]
    except (TypeError, ValueError):
        return Unknown(default.span, "str")
    return Literal(result, default.span) if isinstance(result, str) else Unknown(default.span, "str")


def _compare(unset: str, op: type, right: Value) -> bool | None:
    """``unset <op> right`` when ``right`` is a literal string (``==``, ``!=``) or a display of
    them, or a string (``in``, ``not in``); None when it cannot be told."""
    if op in (cst.Equal, cst.NotEqual):
        if not isinstance(right, Literal) or not isinstance(right.value, str):
            return None
        return (unset == right.value) is (op is cst.Equal)
    if op in (cst.In, cst.NotIn):
        if isinstance(right, Literal) and isinstance(right.value, str):
            found = unset in right.value
        elif isinstance(right, ListValue) and all(isinstance(i, Literal) and isinstance(i.value, str) for i in right.items):
            found = any(unset == i.value for i in right.items)  # type: ignore[union-attr]
        else:
            return None
        return found is (op is cst.In)
    return None


def string_value(node: cst.SimpleString) -> str | bytes | None:
    """``node.evaluated_value``, without ``ast.literal_eval`` for plain quoted text.

    LibCST evaluates every string with ``ast.literal_eval``, a compile per literal: a
    third of the model's time on a large settings module.  A string with no prefix, no
    backslash and no carriage return is exactly the text between its quotes.
    """
    raw = node.value
    quote = raw[-1]
    if raw[0] == quote and "\\" not in raw and "\r" not in raw:
        size = 3 if len(raw) >= 6 and raw[:3] == quote * 3 else 1
        return raw[size:-size]
    try:
        return node.evaluated_value
    except (SyntaxError, ValueError) as exc:
        raise BadLiteral(node, exc) from None


def concatenated_value(node: cst.ConcatenatedString) -> str | bytes | None:
    """``node.evaluated_value`` of ``"a" "b"``; ``BadLiteral`` for a part Python refuses."""
    try:
        return node.evaluated_value
    except (SyntaxError, ValueError) as exc:
        raise BadLiteral(node, exc) from None


class BadLiteral(Exception):
    """A string literal LibCST parses but Python refuses to compile (``"\\N{no such name}"``):
    the module cannot run, so it cannot be interpreted either."""

    def __init__(self, node: cst.CSTNode, error: Exception) -> None:
        super().__init__(str(error))
        self.node = node
        self.reason = getattr(error, "msg", None) or str(error)


def index_key(node: cst.Subscript) -> cst.BaseExpression | None:
    """The key of ``x[key]``: one index, not a slice."""
    if len(node.slice) != 1 or not isinstance(node.slice[0].slice, cst.Index):
        return None
    return node.slice[0].slice.value


def concat(left: Value, right: Value, span: Span) -> Value:
    """``left + right`` of two lists (``+=`` too); of a list read from the environment and a
    list, a list whose head is unknown and whose tail is known; anything else is a
    changed, unknown value."""
    if isinstance(left, ListValue) and isinstance(right, ListValue):
        return ListValue(left.items + right.items, left.span, left.kind)
    if unknown_list(left) and isinstance(right, ListValue):
        return ListValue((Unknown(span, "starred"), *right.items), span)
    return Unknown(span, "changed")


def unknown_list(value: Value) -> bool:
    """A list whose items are unknown: an environment read cast to a list
    (``config("ALLOWED_HOSTS", cast=Csv())``, ``env.list(...)``, ``.split(",")``)."""
    return isinstance(value, EnvRead) and value.cast == "list" and value.wrapper is None
