"""The names of a module being interpreted, and how alternative branches join.

``Names`` holds, for every module-level name, its ``Binding``: the alternatives it
may hold.  Straight-line code replaces a binding; code under ``if``/``else``/``try``,
a loop or ``match`` runs each branch on a copy of the names (``fork``), and the copies
are joined afterwards (``join``, ``merge_envs``): a name the branches set differently
keeps every value it may have, and is ``maybe_unset`` when some branch leaves it unset.

The names bound since the innermost fork are journalled (``touched``), so a join looks
only at them, not at every name of the module: a module of many ``if`` blocks stays
linear.  Changes in place (``LIST.append``, ``DATABASES["default"]["NAME"] = ...``) go
through ``change`` and ``update_path``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from itertools import islice

from ..ftypes import Span
from .values import Binding, DictValue, Literal, Unknown, Value

MAX_ALTERNATIVES = 16


class Names:
    """The module-level names of one module, with the journal of the innermost fork."""

    def __init__(self) -> None:
        self.env: dict[str, Binding] = {}
        # Since the innermost fork (alternative branches about to run): the names bound,
        # and whether a name was deleted (which reorders the names: see merge_envs).
        self.touched: set[str] = set()
        self.deleted = False
        self.key_indexes: dict[int, tuple[DictValue, dict[object, int]]] = {}  # see key_index

    def fork(self) -> tuple[dict[str, Binding], tuple[set[str], bool]]:
        """Before alternative branches run: a copy of the names, and the outer journal."""
        outer = (self.touched, self.deleted)
        self.touched, self.deleted = set(), False
        return dict(self.env), outer

    def join(self, before: dict[str, Binding], branches: list[dict[str, Binding]] | None, outer: tuple[set[str], bool]) -> None:
        """After the branches: merge their names (``None``: keep these), restore the outer journal."""
        if branches is not None:
            self.env = merge_envs(before, branches, None if self.deleted else self.touched)
        touched, deleted = outer
        touched.update(self.touched)
        self.touched, self.deleted = touched, deleted or self.deleted

    def bind(self, name: str, values: tuple[Value, ...], site: Span) -> None:
        self.env[name] = Binding(values=values, sites=(site,), maybe_unset=False)
        self.touched.add(name)

    def share(self, name: str, binding: Binding) -> None:
        """Bind ``name`` to another module's binding, as ``from .base import X`` does."""
        self.env[name] = binding
        self.touched.add(name)

    def delete(self, name: str) -> None:
        self.env.pop(name, None)
        self.deleted = True

    def change(self, name: str, fn: Callable[[Value], Value], site: Span) -> None:
        """Apply ``fn`` to every alternative of ``name`` (a list or dict operation)."""
        binding = self.env.get(name)
        if binding is None:
            return
        self.env[name] = Binding(
            values=tuple(fn(v) for v in binding.values), sites=binding.sites + (site,), maybe_unset=binding.maybe_unset
        )
        self.touched.add(name)

    def update_path(self, name: str, keys: list[str | None], fn: Callable[[Value], Value], site: Span) -> None:
        # A method, not a closure calling itself: that would be a reference cycle holding
        # the runner, and through it the module's syntax tree, until the collector runs.
        self.change(name, lambda v: self.updated(v, keys, 0, fn, site), site)

    def updated(self, value: Value, keys: list[str | None], depth: int, fn: Callable[[Value], Value], site: Span) -> Value:
        """``value`` with ``fn`` applied at ``keys[depth:]`` (``DATABASES["default"]["NAME"]``)."""
        if depth == len(keys):
            return fn(value)
        key = keys[depth]
        if not isinstance(value, DictValue) or key is None:
            return Unknown(site, "changed")
        entries = list(value.entries)
        index = self.key_index(value)
        found = index.get(key)
        if found is not None:  # the first entry with that key
            k, v = entries[found]
            entries[found] = (k, self.updated(v, keys, depth + 1, fn, site))
        else:
            unset = Unknown(site, "unset")
            entries.append((Literal(key, site), self.updated(unset, keys, depth + 1, fn, site) if depth + 1 < len(keys) else fn(unset)))
            index = dict(index)
            index[key] = len(entries) - 1
        updated = DictValue(tuple(entries), value.span)
        self.key_indexes.pop(id(value), None)  # rarely updated again (an else branch): then found afresh
        self.key_indexes[id(updated)] = (updated, index)
        return updated

    def key_index(self, value: DictValue) -> dict[object, int]:
        """Where each literal key of a dict display first appears among its entries.

        Kept for the dicts this module built, and handed on to the dict an update
        derives from one: ``LOGGING["loggers"]["x"] = ...`` repeated for hundreds of
        keys would otherwise look through all the keys added so far each time.
        """
        cached = self.key_indexes.get(id(value))
        if cached is not None and cached[0] is value:
            return cached[1]
        index: dict[object, int] = {}
        for position, (k, _) in enumerate(value.entries):
            if isinstance(k, Literal):
                index.setdefault(k.value, position)
        return index


def dedupe(values: Iterable[Value]) -> tuple[Value, ...]:
    """``values`` without repeats, by identity, in order."""
    seen: dict[int, Value] = {}
    for value in values:
        seen.setdefault(id(value), value)
    return tuple(seen.values())


def merge_envs(
    before: dict[str, Binding], branches: Sequence[dict[str, Binding]], touched: set[str] | None = None
) -> dict[str, Binding]:
    """Join the environments of alternative branches into one.

    ``touched`` holds every name the branches bound (a superset of the names they
    changed), when they deleted none: each branch's names are then those of
    ``before``, in the same order, followed by its new ones.  Without it the changed
    names are found by comparing every name of every branch.
    """
    # A name no branch rebound or deleted keeps its binding as it is; only the changed
    # names are joined, so a module of many ``if`` blocks is not names x blocks slow
    # loops.  Assigning an existing key keeps the order of ``names``.
    if touched is not None:
        merged: dict[str, Binding | None] = dict(before)
        for env in branches:
            if len(env) > len(before):  # its new names, in order, after the names of ``before``
                merged.update(dict.fromkeys(islice(env, len(before), None)))
        changed: Iterable[str] = touched
    else:
        names: dict[str, None] = {}
        for env in branches:
            names.update(dict.fromkeys(env))
        changed = set()
        for env in branches:
            if env is not before:
                changed.update([name for name, binding in env.items() if before.get(name) is not binding])
                changed.update(before.keys() - env.keys())
        merged = {name: before.get(name) for name in names}
    for name in changed:
        if name not in merged:
            continue
        bindings = [env.get(name) for env in branches]
        present = [b for b in bindings if b is not None]
        first = present[0]
        if len(present) == len(bindings) and all(b is first for b in present):
            merged[name] = first
            continue
        values = dedupe(v for b in present for v in b.values)
        # By identity: spans get their positions only after the module has run, so
        # until then every span of a file compares equal to every other.
        sites = tuple({id(s): s for b in present for s in b.sites}.values())
        maybe_unset = len(present) < len(bindings) or any(b.maybe_unset for b in present)
        if len(values) > MAX_ALTERNATIVES:
            values = (Unknown(values[-1].span, "too-many-alternatives"),)
        merged[name] = Binding(values=values, sites=sites, maybe_unset=maybe_unset)
    return merged  # type: ignore[return-value]
