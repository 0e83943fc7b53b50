"""The few data types every stage shares: spans, parse errors, diagnostics and fixes.

The pipeline is: discover (reads the disk) -> read (LibCST, Procfile, version files)
-> model (the settings) -> rules -> diagnostics -> fix -> report.  Each stage's own
records live with it (``read/records.py``, ``model/values.py``, ``rules/context.py``);
what is here crosses every boundary.  Everything is a plain dataclass: no CST node
survives the read stage, so the model can be cached (as JSON) and handed to rules that
never touch the filesystem.  A rule's fix is plain data too: text edits computed from
spans it already has, or *intents* (``AddKeyword``, ``MoveElement`` ...) that the fix
stage turns into edits with LibCST.  ``Intent``, their base, is here because ``Fix``
holds them; the intents themselves are in ``edit/intents.py`` and the rule modules.
"""

from __future__ import annotations

from dataclasses import FrozenInstanceError, dataclass, fields

TYPE_CHECKING = False  # typing is imported by type checkers only: djhlint starts faster without it
if TYPE_CHECKING:
    from dataclasses import Field
    from typing import Any, ClassVar


# --------------------------------------------------------------------------- records
#
# dataclass() compiles each generated method on its own, and every run imports every class
# here.  So each class inherits its __repr__, __eq__ and __hash__ (and a frozen class its
# __setattr__) from one of these bases, which behave as the generated ones would, and
# dataclass() only writes __init__: a warm run starts about 10 ms sooner.


class Shown:
    """A dataclass's ``__repr__``; equality stays identity."""

    __slots__ = ()
    if TYPE_CHECKING:  # every subclass is a dataclass
        __dataclass_fields__: ClassVar[dict[str, Field[Any]]]

    def __repr__(self) -> str:
        shown = ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in fields(self) if f.repr)
        return f"{type(self).__qualname__}({shown})"


class Data(Shown):
    """A dataclass's ``__repr__`` and ``__eq__`` (field by field); unhashable, as it is mutable."""

    __slots__ = ()
    __hash__ = None  # type: ignore[assignment]

    def _compared(self) -> tuple[Any, ...]:
        return tuple(getattr(self, f.name) for f in fields(self) if f.compare)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._compared() == other._compared()


class FrozenData(Data):
    """Data that cannot change, so it can be hashed, as ``dataclass(frozen=True)`` gives.

    Each attribute is written once, by ``__init__``: assigning it again or deleting it
    raises ``FrozenInstanceError``.
    """

    __slots__ = ()

    def __setattr__(self, name: str, value: object) -> None:
        if name in self.__dict__:
            raise FrozenInstanceError(f"cannot assign to field {name!r}")
        object.__setattr__(self, name, value)

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(self._compared())


# --------------------------------------------------------------------------- spans


@dataclass(repr=False, eq=False)
class Span(Shown):
    """A range in a file.  ``file`` is relative to the build root, in POSIX form.

    Lines and columns are 1-based; the end column is exclusive (as in ruff's JSON).
    Spans of Python values are created before positions are known and filled in by
    the parse stage in one pass; a span whose position could not be computed points
    at the start of the file.
    """

    file: str
    line: int = 1
    col: int = 1
    end_line: int = 1
    end_col: int = 1

    def key(self) -> tuple[str, int, int, int, int]:
        return (self.file, self.line, self.col, self.end_line, self.end_col)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Span) and self.key() == other.key()

    def __hash__(self) -> int:
        return hash(self.key())

    def __repr__(self) -> str:
        return f"Span({self.file}:{self.line}:{self.col}-{self.end_line}:{self.end_col})"


@dataclass(repr=False, eq=False)
class ParseError(Data):
    """A file djhlint must read but cannot decode or parse (reported as DJH000)."""

    span: Span
    reason: str


# --------------------------------------------------------------------------- diagnostics


@dataclass(repr=False, eq=False)
class Diagnostic(Data):
    """One problem a rule found, where it is, and how to fix it when it can be fixed."""

    code: str
    name: str
    message: str
    span: Span
    build_root: str  # absolute; span.file is relative to it
    fix: Fix | None = None
    url: str | None = None

    @property
    def path(self) -> str:
        from os.path import join

        return join(self.build_root, self.span.file)

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.span.line, self.span.col, self.code)


# --------------------------------------------------------------------------- fixes
#
# A rule attaches a ``Fix`` to a diagnostic.  Its ``edits`` are concrete; its ``intents``
# say what to do to a file, and the fix stage (``fix/fixes.py``) carries them out as
# edits with LibCST on the file as it is, so formatting, comments and quotes outside the
# edit are kept.  A resolved fix has edits only.

SAFE, UNSAFE = "safe", "unsafe"


@dataclass(repr=False, eq=False)
class Edit(FrozenData):
    """One change to one file of the build; paths are relative to the build root.

    ``kind`` is ``"replace"`` (the text of ``span`` becomes ``content``; an empty span
    inserts), ``"create"`` (a new file ``file`` holding ``content``), ``"rename"``
    (``file`` becomes ``new_file``, its content unchanged), ``"rewrite"`` (the whole of
    ``file``, whatever its encoding, becomes ``content`` written as UTF-8: for a file
    that is not UTF-8 text, where a span means nothing) or ``"delete"`` (``file`` is
    removed; it goes only once the fix's other files are written).
    """

    kind: str
    file: str
    span: Span | None = None
    content: str = ""
    new_file: str | None = None

    @classmethod
    def replace(cls, span: Span, content: str) -> Edit:
        return cls("replace", span.file, span, content)

    @classmethod
    def create(cls, file: str, content: str) -> Edit:
        return cls("create", file, None, content)

    @classmethod
    def rename(cls, file: str, new_file: str) -> Edit:
        return cls("rename", file, None, "", new_file)

    @classmethod
    def rewrite(cls, file: str, content: str) -> Edit:
        return cls("rewrite", file, None, content)

    @classmethod
    def delete(cls, file: str) -> Edit:
        return cls("delete", file)


class Intent(FrozenData):
    """What a fix does to a file, said as data and carried out by the fix stage on the file
    as it is then.  The kinds (an edit of Python code, of a text file, a whole rewrite) and
    the generic intents are in ``edit/intents.py``; an intent only one rule makes lives in
    that rule's module.  Each subclass is a frozen record."""

    __slots__ = ()

    def target_file(self) -> str:  # pragma: no cover - interface
        """The file the intent edits, relative to the build root."""
        raise NotImplementedError


@dataclass(repr=False, eq=False)
class Fix(Data):
    """How to repair a diagnostic.  ``applicability`` is ``"safe"`` (keeps what the author
    meant and cannot stop the app from starting: ``--fix`` applies it) or ``"unsafe"``
    (only with ``--unsafe-fixes``)."""

    applicability: str
    message: str
    edits: tuple[Edit, ...] = ()
    intents: tuple[Intent, ...] = ()

    @property
    def resolved(self) -> bool:
        return not self.intents
