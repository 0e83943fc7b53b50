"""The few data types every stage shares: spans, parse errors, diagnostics and fixes.

The pipeline is: discover (reads the disk) -> read (LibCST, Procfile, version files)
-> model (the settings) -> rules -> diagnostics -> fix -> report.  Each stage's own
records live with it (``read/records.py``, ``model/values.py``, ``rules/context.py``);
what is here crosses every boundary.  Everything here is a frozen dataclass, a value
(compared field by field, hashable, never changed once made), and no CST node survives
the read stage, so the model can be cached (as JSON) and handed to rules that never
touch the filesystem.  A rule's fix is plain data too: text edits computed from
spans it already has, or *intents* (``AddKeyword``, ``MoveElement`` ...) that the fix
stage turns into edits with LibCST.  ``Intent``, their base, is here because ``Fix``
holds them; the intents themselves are in ``edit/intents.py`` and the rule modules.
"""

from __future__ import annotations

from dataclasses import dataclass


# --------------------------------------------------------------------------- spans


@dataclass(frozen=True, slots=True)
class Span:
    """A range in a file.  ``file`` is relative to the build root, in POSIX form.

    Lines and columns are 1-based; the end column is exclusive (as in ruff's JSON).
    A span is a value: it compares and hashes by its fields and never changes once
    made.  A span whose position could not be computed points at the start of the file.
    """

    file: str
    line: int = 1
    col: int = 1
    end_line: int = 1
    end_col: int = 1

    def key(self) -> tuple[str, int, int, int, int]:
        return (self.file, self.line, self.col, self.end_line, self.end_col)

    def __repr__(self) -> str:
        return f"Span({self.file}:{self.line}:{self.col}-{self.end_line}:{self.end_col})"


@dataclass(frozen=True, slots=True)
class ParseError:
    """A file djhlint must read but cannot decode or parse (reported as DJH000)."""

    span: Span
    reason: str


# --------------------------------------------------------------------------- diagnostics


@dataclass(frozen=True, slots=True)
class Diagnostic:
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


@dataclass(frozen=True, slots=True)
class Edit:
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


class Intent:
    """What a fix does to a file, said as data and carried out by the fix stage on the file
    as it is then.  The kinds (an edit of Python code, of a text file, a whole rewrite) and
    the generic intents are in ``edit/intents.py``; an intent only one rule makes lives in
    that rule's module.  Each subclass is a frozen dataclass."""

    __slots__ = ()

    def target_file(self) -> str:  # pragma: no cover - interface
        """The file the intent edits, relative to the build root."""
        raise NotImplementedError


@dataclass(frozen=True, slots=True)
class Fix:
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
