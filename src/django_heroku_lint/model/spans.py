"""The spans of a module's values: handed out while the module runs, placed once it has.

The interpreter wants a span for each value as it makes it, but positions come from one
walk over the syntax tree (``read.python.node_positions``), made once the module has run,
for the nodes asked about.  So each span starts as a stand-in, ``Span(path)``: the start
of the file, which is where a span whose position cannot be found stays.  Spans and
values are frozen, so nothing is filled in afterwards: :class:`Placer` rebuilds what the
module produced with each stand-in replaced by the span of its node.  An object that
holds no stand-in is kept as it is, the same object, so a value shared by two bindings,
or one imported from a module already placed, stays one value.
"""

from __future__ import annotations

import dataclasses

from ..ftypes import Span
from ..read.python import node_positions
from .values import Binding, DictValue, EnvRead, ImportRef, ListValue, Literal, ModuleRef, Unknown, Value

TYPE_CHECKING = False  # typing is imported by type checkers only: djhlint starts faster without it
if TYPE_CHECKING:
    import libcst as cst


class SpanMaker:
    """Hands out the spans of nodes, stand-ins until the module has run (see :meth:`placer`).

    Keyed by ``id(node)`` (the module keeps its nodes alive): a LibCST node hashes
    through a Python-level ``__hash__``.  Each call gives a stand-in of its own, as
    two values of one node are two values.
    """

    def __init__(self, path: str) -> None:
        self.path = path
        self.wanted: dict[int, list[Span]] = {}

    def __call__(self, node: cst.CSTNode) -> Span:
        span = Span(self.path)
        spans = self.wanted.get(id(node))
        if spans is None:
            self.wanted[id(node)] = [span]
        else:
            spans.append(span)
        return span

    def placer(self, module: cst.Module, text: str | None) -> Placer:
        """What replaces the stand-ins handed out, now that the module's nodes can be placed."""
        positions = node_positions(module, self.wanted, text)
        placed: dict[int, Span] = {}
        for key, stand_ins in self.wanted.items():
            position = positions.get(key)
            if position is not None:
                for stand_in in stand_ins:
                    placed[id(stand_in)] = Span(self.path, *position)
        return Placer(placed)


class Placer:
    """Rebuilds bindings, values and references with their stand-in spans placed.

    ``placed`` maps the ``id()`` of each stand-in (alive as long as the maker that
    handed it out) to its span.  Each value is rebuilt once, however many bindings
    hold it.
    """

    def __init__(self, placed: dict[int, Span]) -> None:
        self.placed = placed
        self.done: dict[int, Value] = {}  # id(value) -> the value placed

    def span(self, span: Span) -> Span:
        return self.placed.get(id(span), span)

    def binding(self, binding: Binding) -> Binding:
        values = tuple(self.value(value) for value in binding.values)
        sites = tuple(self.span(site) for site in binding.sites)
        if _same(values, binding.values) and _same(sites, binding.sites):
            return binding
        return Binding(values, sites, binding.maybe_unset)

    def import_ref(self, ref: ImportRef) -> ImportRef:
        span = self.span(ref.span)
        return ref if span is ref.span else ImportRef(ref.module, span, ref.guarded)

    def module_ref(self, ref: ModuleRef) -> ModuleRef:
        site = None if ref.site is None else self.span(ref.site)
        return ref if site is ref.site else dataclasses.replace(ref, site=site)

    def value(self, root: Value) -> Value:
        """``root`` placed.  Without recursion: values nest as deep as a module makes them
        (``A = [A]`` on each of ten thousand lines), inner values first."""
        done = self.done
        placed = done.get(id(root))
        if placed is not None:
            return placed
        stack = [root]
        while stack:
            value = stack[-1]
            if id(value) in done:  # pushed twice (a value holds it twice): placed already
                stack.pop()
                continue
            waiting = []
            for inner in _inner(value):
                if id(inner) in done:
                    continue
                if type(inner) is Literal or type(inner) is Unknown:  # no value inside: placed at once
                    done[id(inner)] = self._rebuilt(inner)
                else:
                    waiting.append(inner)
            if waiting:
                stack.extend(waiting)
                continue
            stack.pop()
            done[id(value)] = self._rebuilt(value)
        return done[id(root)]

    def _rebuilt(self, value: Value) -> Value:
        """``value`` with its span placed, and its inner values already placed."""
        done = self.done
        span = self.placed.get(id(value.span), value.span)
        if isinstance(value, Literal):
            return value if span is value.span else Literal(value.value, span)
        if isinstance(value, Unknown):
            return value if span is value.span else Unknown(span, value.kind, value.text)
        if isinstance(value, ListValue):
            items = tuple(done[id(item)] for item in value.items)
            return value if span is value.span and _same(items, value.items) else ListValue(items, span, value.kind)
        if isinstance(value, DictValue):
            entries = tuple((done[id(k)], done[id(v)]) for k, v in value.entries)
            if span is value.span and all(_same(new, old) for new, old in zip(entries, value.entries, strict=True)):
                return value
            return DictValue(entries, span)
        default = None if value.default is None else done[id(value.default)]
        if span is value.span and default is value.default:
            return value
        return dataclasses.replace(value, span=span, default=default)


def _inner(value: Value) -> tuple[Value, ...]:
    """The values directly inside ``value``."""
    if isinstance(value, ListValue):
        return value.items
    if isinstance(value, DictValue):
        return tuple(part for entry in value.entries for part in entry)
    if isinstance(value, EnvRead) and value.default is not None:
        return (value.default,)
    return ()


def _same(new: tuple, old: tuple) -> bool:
    """Whether the two tuples hold the same objects, in the same order."""
    return all(a is b for a, b in zip(new, old, strict=True))
