"""What a fix does to a file, said as data: the intents a rule attaches to a ``Fix``.

A rule cannot carry out an edit of Python code while it checks (it never reads files,
and a lint run never loads LibCST), so it says what to do: ``AddKeyword``,
``MoveElement``, ``AddStatement`` ...  The fix stage (``fix/fixes.py``) carries each
out later with :meth:`apply`, on the file as it is then.  There are two kinds: a
``PythonIntent`` changes a parsed module, and a ``TextIntent`` changes the text of a file.

The intents here are the generic ones, made of the primitives of ``primitives.py``; a
fix only one rule makes defines its intent in the rule's own module, from the same
primitives.  ``apply`` imports them when it runs: importing this module, or a rule
module, never imports LibCST.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from ..ftypes import Intent, Span

TYPE_CHECKING = False  # typing is imported by type checkers only, as everywhere in djhlint
if TYPE_CHECKING:
    import libcst as cst

    from .source import PythonSource, Reader


class PythonIntent(Intent):
    """An edit of the Python file its first span names: ``apply`` gives the new module, or
    raises ``Unresolvable`` when it cannot be done exactly."""

    __slots__ = ()

    def target_file(self) -> str:
        for each in fields(self):  # type: ignore[arg-type]  # every intent is a dataclass
            value = getattr(self, each.name)
            if isinstance(value, Span):
                return value.file
        raise NotImplementedError(f"{type(self).__name__} names no span")  # pragma: no cover

    def apply(self, source: PythonSource) -> cst.Module:  # pragma: no cover - interface
        raise NotImplementedError


class TextIntent(Intent):
    """An edit of a text file: ``apply`` gives its new text from the current one (several
    intents of one fix may edit the file in turn); ``read`` and ``files`` are the build's."""

    __slots__ = ()

    def apply(self, text: str, read: Reader, files: frozenset[str]) -> str:  # pragma: no cover - interface
        raise NotImplementedError


# ---------------------------------------------------------------------- the generic intents


@dataclass(frozen=True, slots=True)
class AddKeyword(PythonIntent):
    """``f(a, b=1)`` -> ``f(a, b=1, keyword=value)``; an existing ``keyword=`` gets ``value``."""

    call: Span
    keyword: str
    value: str  # Python source of the value

    def apply(self, source: PythonSource) -> cst.Module:
        from .primitives import add_keyword

        return add_keyword(source, self.call, self.keyword, self.value)


@dataclass(frozen=True, slots=True)
class ReplaceString(PythonIntent):
    """A string literal holding ``old`` is rewritten to hold ``new``, keeping its quotes."""

    string: Span
    old: str
    new: str

    def apply(self, source: PythonSource) -> cst.Module:
        from .primitives import replace_string

        return replace_string(source, self.string, self.old, self.new)


@dataclass(frozen=True, slots=True)
class MoveElement(PythonIntent):
    """The list element at ``item`` moves directly after (or before) the one at ``anchor``,
    in the same list display, with the comments on its line and the lines above it."""

    item: Span
    anchor: Span
    after: bool = True

    def apply(self, source: PythonSource) -> cst.Module:
        from .primitives import move_element

        return move_element(source, self.item, self.anchor, self.after)


@dataclass(frozen=True, slots=True)
class InsertElement(PythonIntent):
    """A string element holding ``value`` is inserted ``"after"`` or ``"before"`` the
    element at ``anchor``, or ``"into"`` the empty list display at ``anchor``."""

    anchor: Span
    where: str
    value: str

    def apply(self, source: PythonSource) -> cst.Module:
        from .primitives import insert_element

        return insert_element(source, self.anchor, self.where, self.value)


@dataclass(frozen=True, slots=True)
class AddStatement(PythonIntent):
    """``code`` (one statement) goes after the top-level statement holding ``site``;
    each module of ``imports`` is imported at the top first unless it already is.
    With ``match_quotes``, the strings of ``code`` take the quotes the module mostly uses."""

    site: Span
    code: str
    imports: tuple[str, ...] = ()
    comment: str = ""  # a comment line above the new statement
    match_quotes: bool = False

    def apply(self, source: PythonSource) -> cst.Module:
        from .primitives import add_statement

        return add_statement(source, self.site, self.code, self.imports, self.comment, self.match_quotes)


@dataclass(frozen=True, slots=True)
class ReplaceValue(PythonIntent):
    """The expression at ``value`` becomes ``code`` (Python source of an expression),
    its strings in the quotes the module mostly uses."""

    value: Span
    code: str

    def apply(self, source: PythonSource) -> cst.Module:
        from .primitives import replace_node

        return replace_node(source, self.value, self.code)


@dataclass(frozen=True, slots=True)
class AddDictEntry(PythonIntent):
    """The entry ``key: code`` goes first (or last) in the dict display at ``dict``,
    unless the key is there already; the strings take the quotes of the dict's keys."""

    dict: Span
    key: str
    code: str  # Python source of the value
    first: bool = True

    def apply(self, source: PythonSource) -> cst.Module:
        from .primitives import add_dict_entry

        return add_dict_entry(source, self.dict, self.key, self.code, self.first)


@dataclass(frozen=True, slots=True)
class AddRequirement(TextIntent):
    """``name`` is appended to the build root's ``requirements.txt`` unless it, or one of
    ``satisfied_by``, is already required there or in a file it includes."""

    name: str
    satisfied_by: tuple[str, ...] = ()

    def target_file(self) -> str:
        return "requirements.txt"

    def apply(self, text: str, read: Reader, files: frozenset[str]) -> str:
        from .primitives import add_requirement

        return add_requirement(text, self.name, self.satisfied_by, read, files)
