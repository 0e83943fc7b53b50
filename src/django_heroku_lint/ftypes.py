"""The few data types every stage shares: spans, parse errors, diagnostics and fixes.

The pipeline is: discover (reads the disk) -> read (LibCST, Procfile, version files)
-> model (the settings) -> rules -> diagnostics -> fix -> report.  Each stage's own
records live with it (``read/records.py``, ``model/values.py``, ``rules/context.py``);
what is here crosses every boundary.  Everything here is a frozen dataclass, a value
(compared field by field, hashable, never changed once made), and no CST node survives
the read stage, so the model can be cached (as JSON) and handed to rules that never
touch the filesystem.  A rule's fix is plain data too: text edits computed from
spans it already has, or *intents* (``AddKeyword``, ``MoveElement`` ...) that the fix
stage turns into edits with LibCST.  The intents live here, below the rules, because a
rule must be able to emit one without importing the fix stage, and ``Fix`` holds them.
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
# say what to do to Python code, and the fix stage (``fixes.py``) resolves them into
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


@dataclass(frozen=True, slots=True)
class AddKeyword:
    """``f(a, b=1)`` -> ``f(a, b=1, keyword=value)``; an existing ``keyword=`` gets ``value``."""

    call: Span
    keyword: str
    value: str  # Python source of the value


@dataclass(frozen=True, slots=True)
class UseMethod:
    """``env("X", default=1)`` -> ``env.method("X", default=1)``, only when the call passes
    at most ``max_positional`` positional arguments and no keyword outside ``keywords``."""

    call: Span
    method: str
    max_positional: int = 1
    keywords: tuple[str, ...] = ("default",)


@dataclass(frozen=True, slots=True)
class CompareEnvString:
    """``os.environ.get("X", d)`` or ``bool(os.getenv("X"))`` -> ``os.environ.get("X", "d").lower()
    in ("1", "true", "yes", "on")``.  ``default`` is the string fallback to pass, or ``None``
    to keep the call's own string fallback."""

    read: Span
    default: str | None


@dataclass(frozen=True, slots=True)
class DropFallback:
    """An environment read loses its fallback: ``config("X", default="k")`` -> ``config("X")``,
    ``os.environ.get("X", "k")`` and ``os.getenv("X") or "k"`` -> ``os.environ["X"]``.
    ``api`` and ``via`` are the ``EnvRead``'s."""

    read: Span
    api: str
    via: str | None


@dataclass(frozen=True, slots=True)
class ReadEnv:
    """A literal becomes a read of environment variable ``var``, in the style the module
    already uses: decouple's ``config``, a django-environ ``env``, else ``os.environ``."""

    value: Span
    var: str


@dataclass(frozen=True, slots=True)
class ReplaceString:
    """A string literal holding ``old`` is rewritten to hold ``new``, keeping its quotes."""

    string: Span
    old: str
    new: str


@dataclass(frozen=True, slots=True)
class MoveElement:
    """The list element at ``item`` moves directly after (or before) the one at ``anchor``,
    in the same list display, with the comments on its line and the lines above it."""

    item: Span
    anchor: Span
    after: bool = True


@dataclass(frozen=True, slots=True)
class InsertElement:
    """A string element holding ``value`` is inserted ``"after"`` or ``"before"`` the
    element at ``anchor``, or ``"into"`` the empty list display at ``anchor``."""

    anchor: Span
    where: str
    value: str


@dataclass(frozen=True, slots=True)
class AddStatement:
    """``code`` (one statement) goes after the top-level statement holding ``site``;
    each module of ``imports`` is imported at the top first unless it already is.
    With ``match_quotes``, the strings of ``code`` take the quotes the module mostly uses."""

    site: Span
    code: str
    imports: tuple[str, ...] = ()
    comment: str = ""  # a comment line above the new statement
    match_quotes: bool = False


@dataclass(frozen=True, slots=True)
class ReplaceValue:
    """The expression at ``value`` becomes ``code`` (Python source of an expression),
    its strings in the quotes the module mostly uses."""

    value: Span
    code: str


@dataclass(frozen=True, slots=True)
class AddDictEntry:
    """The entry ``key: code`` goes first (or last) in the dict display at ``dict``,
    unless the key is there already; the strings take the quotes of the dict's keys."""

    dict: Span
    key: str
    code: str  # Python source of the value
    first: bool = True


@dataclass(frozen=True, slots=True)
class MoveToStorages:
    """``STATICFILES_STORAGE = "X"`` (``setting`` is its name, ``value`` the string)
    becomes the ``"staticfiles"`` entry of ``STORAGES``: of the dict display at
    ``storages``, in the same module, when there is one (the old statement goes), else
    of a new ``STORAGES`` in its place with Django's ``"default"`` beside it.  With
    ``add_default``, the existing dict gains that ``"default"`` too."""

    setting: Span
    value: Span
    storages: Span | None = None
    add_default: bool = False


@dataclass(frozen=True, slots=True)
class Reencode:
    """A UTF-16 text file (with its byte order mark) is written again as UTF-8 without
    one, its text unchanged: a ``rewrite`` edit."""

    file: str


@dataclass(frozen=True, slots=True)
class AddRequirement:
    """``name`` is appended to the build root's ``requirements.txt`` unless it, or one of
    ``satisfied_by``, is already required there."""

    name: str
    satisfied_by: tuple[str, ...] = ()


Intent = (
    AddKeyword | UseMethod | CompareEnvString | DropFallback | ReadEnv | ReplaceString | MoveElement
    | InsertElement | AddStatement | ReplaceValue | AddDictEntry | MoveToStorages | AddRequirement | Reencode
)


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
