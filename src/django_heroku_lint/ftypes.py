"""Every data type that crosses a stage boundary, in one place.

The pipeline is: discovery (reads the disk) -> parse (LibCST, Procfile, version files)
-> settings model -> rules -> diagnostics -> fixes -> reporters.  Everything here is a
plain dataclass: no CST node survives the parse stage, so the model can be cached (as
JSON) and handed to rules that never touch the filesystem.  A rule's fix is plain data
too: text edits computed from spans it already has, or *intents* (``AddKeyword``,
``MoveElement`` ...) that the fix stage turns into edits with LibCST.
"""

from __future__ import annotations

from dataclasses import FrozenInstanceError, dataclass, field, fields

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


# --------------------------------------------------------------------------- values
#
# A setting's value as djhlint understands it, without running anything.


@dataclass(repr=False, eq=False)
class Literal(Shown):
    """A scalar literal: str, int, float, bool or None."""

    value: str | int | float | bool | None
    span: Span


@dataclass(repr=False, eq=False)
class ListValue(Shown):
    """A list, tuple or set display; ``items`` are values in source order."""

    items: tuple[Value, ...]
    span: Span
    kind: str = "list"  # "list", "tuple" or "set"


@dataclass(repr=False, eq=False)
class DictValue(Shown):
    """A dict display.  Keys that are not literals make the entry unknown to lookups."""

    entries: tuple[tuple[Value, Value], ...]
    span: Span

    def get(self, key: str) -> Value | None:
        found = None
        for k, v in self.entries:
            if isinstance(k, Literal) and k.value == key:
                found = v
        return found


@dataclass(repr=False, eq=False)
class EnvRead(Shown):
    """A value read from the environment.

    ``api`` names the reader: ``os.environ[]``, ``os.environ.get``, ``os.getenv``,
    ``decouple``, ``environ`` (django-environ's ``env(...)``), ``environ.<method>``
    (``env.bool`` ...), ``dj_database_url``.  ``var`` is the variable's name when it is
    a literal.  ``default`` is the fallback when the variable is unset (``None`` when
    there is none: the read fails or yields ``None``).  ``cast`` says what the raw
    string is turned into: ``bool``, ``int``, ``float``, ``list``, ``json``, ``dict``,
    ``db``, ``str`` or ``unknown``; ``None`` means the result stays a string.
    ``wrapper`` is ``"bool()"`` when the string is passed to Python's ``bool()``,
    which is true for any non-empty string.
    """

    api: str
    var: str | None
    span: Span
    default: Value | None = None
    cast: str | None = None
    wrapper: str | None = None
    fallback_via: str | None = None  # "default", "positional" or "or"

    @property
    def yields_string(self) -> bool:
        """True when the value reaching Django is the raw environment string."""
        return self.cast is None or self.cast == "str"


@dataclass(repr=False, eq=False)
class Unknown(Shown):
    """Something djhlint cannot evaluate.  ``kind`` hints at its type where known:
    ``bool`` (a comparison, ``not``, ``in``), ``generated`` (a random secret), ``path``
    (with ``text`` ``"pathlib.Path"`` when it certainly is one, such as
    ``Path(__file__).resolve().parent``), ``call:<qualified name>`` or ``""``."""

    span: Span
    kind: str = ""
    text: str = ""


Value = Literal | ListValue | DictValue | EnvRead | Unknown

PATHLIB = "pathlib.Path"


def is_path(value: Value | None) -> bool:
    """True when ``value`` is a filesystem path built at run time (a ``str`` or a ``pathlib.Path``)."""
    return isinstance(value, Unknown) and value.kind == "path"


def is_pathlib(value: Value | None) -> bool:
    """True when ``value`` is certainly a ``pathlib.Path``, such as ``Path(__file__).resolve().parent``."""
    return is_path(value) and value.text == PATHLIB  # type: ignore[union-attr]


def plain(value: Value | None) -> Any:
    """The Python data a fully literal value stands for; raises ``ValueError`` otherwise."""
    if isinstance(value, Literal):
        return value.value
    if isinstance(value, ListValue):
        return [plain(item) for item in value.items]
    if isinstance(value, DictValue):
        return {plain(k): plain(v) for k, v in value.entries}
    raise ValueError("not a literal")


# --------------------------------------------------------------------------- settings


@dataclass(repr=False, eq=False)
class Binding(Shown):
    """What a module-level name may hold at the end of the settings chain.

    ``values`` are the alternatives: one value when the code is straight-line, more
    when assignments sit under ``if``/``else``/``try``.  ``maybe_unset`` is true when
    some path leaves the name undefined.  ``sites`` are the spans of the statements
    that set or changed it, in execution order.
    """

    values: tuple[Value, ...]
    sites: tuple[Span, ...] = ()
    maybe_unset: bool = False

    @property
    def certain(self) -> Value | None:
        """The value when there is exactly one and the name is always set."""
        if len(self.values) == 1 and not self.maybe_unset:
            return self.values[0]
        return None


@dataclass(repr=False, eq=False)
class ImportRef(Data):
    """A module-level ``import X`` or ``from X import ...`` of a module in the settings chain.

    ``module`` is the top-level name (``decouple`` for ``from decouple import config``);
    ``guarded`` is true when the import sits under ``try``, ``if``, a loop or ``match``,
    so a missing package may be handled.
    """

    module: str
    span: Span
    guarded: bool = False


@dataclass(repr=False, eq=False)
class ModuleRef(Data):
    """A module of the settings chain, and the import that ran it."""

    name: str  # dotted module name
    path: str  # relative to the build root
    imported_by: str | None = None  # the module whose import ran this one; None for the judged module
    statement: str = ""  # that import, e.g. "from .base import *"
    site: Span | None = None  # where that import is


@dataclass(repr=False, eq=False)
class SettingsModel(Data):
    """The deployed settings as djhlint understands them."""

    module: str  # the judged module, e.g. "mysite.settings.production"
    path: str  # its file, relative to the build root
    reason: str  # why this module was judged
    chain: list[ModuleRef] = field(default_factory=list)  # modules read, in execution order
    settings: dict[str, Binding] = field(default_factory=dict)
    complete: bool = True  # false when a module of the chain could not be parsed
    imports: list[ImportRef] = field(default_factory=list)  # third-party imports of the chain
    django_heroku_calls: list[Span] = field(default_factory=list)  # django_heroku.settings(...) calls run

    def get(self, name: str) -> Binding | None:
        return self.settings.get(name)


# --------------------------------------------------------------------------- layout files


@dataclass(repr=False, eq=False)
class Process(Data):
    """One ``name: command`` line of a Procfile."""

    name: str
    command: str
    line: int
    command_col: int  # 1-based column where the command starts
    span: Span  # the whole line
    env: dict[str, str] = field(default_factory=dict)  # VAR=value prefixes and --env options
    server: str | None = None  # "gunicorn", "uvicorn", "daphne", "waitress-serve", ...
    server_span: Span | None = None  # the server's own command, up to the next && or ;
    server_args: tuple[str, ...] = ()
    app_module: str | None = None  # "mysite.wsgi" from "mysite.wsgi:application"
    app_span: Span | None = None  # where the app argument sits in the line
    chdir: str | None = None  # --chdir DIR or a leading "cd DIR &&"
    pythonpath: tuple[str, ...] = ()  # --pythonpath / --app-dir folders and a PYTHONPATH= prefix


@dataclass(repr=False, eq=False)
class ProcfileLine(Data):
    """A non-blank, non-comment Procfile line that is not a ``name: command`` process."""

    line: int
    text: str
    span: Span
    reason: str  # why Heroku ignores it, in a few words


@dataclass(repr=False, eq=False)
class Procfile(Data):
    """The Procfile's processes, and the lines that are not ``name: command``."""

    path: str  # relative to the build root; may be a misnamed file
    processes: list[Process] = field(default_factory=list)
    bad_lines: list[ProcfileLine] = field(default_factory=list)

    def process(self, name: str) -> Process | None:
        for proc in self.processes:
            if proc.name == name:
                return proc
        return None


@dataclass(repr=False, eq=False)
class VersionFile(Data):
    """``runtime.txt`` or ``.python-version`` at the build root, decoded."""

    path: str
    text: str
    versions: list[tuple[str, Span]] = field(default_factory=list)  # non-comment lines
    bom: bool = False  # starts with a UTF-8 byte order mark
    encoding_error: str | None = None  # why the bytes are not UTF-8 text (UTF-16, bad bytes)
    unreadable: bool = False  # not read at all (a FIFO, a link that leaves the project): a DJH000 says why


@dataclass(repr=False, eq=False)
class Requirement(Data):
    """A package declared where Heroku installs from.

    ``name`` is normalised (PEP 503: lower case, runs of ``-_.`` as ``-``).  ``spec`` is
    the version specifier as written (``">=5.1,<6"``), ``""`` when unpinned; lock files
    give the exact ``version``.
    """

    name: str
    span: Span
    spec: str = ""
    version: str | None = None
    extras: frozenset[str] = frozenset()


@dataclass(repr=False, eq=False)
class Requirements(Data):
    """What the project declares, from every package manager file at the build root.

    ``installer`` names the file Heroku installs from (``requirements.txt``,
    ``Pipfile.lock``, ``poetry.lock``, ``uv.lock``; ``pyproject.toml`` when that is all
    there is).  ``complete`` is false when part of the declaration could not be read
    (an ``-r`` include that is missing or remote, a file that does not parse), so a
    rule cannot tell what is missing.
    """

    installer: str
    sources: list[str] = field(default_factory=list)
    packages: dict[str, Requirement] = field(default_factory=dict)
    complete: bool = True

    def get(self, name: str) -> Requirement | None:
        return self.packages.get(name)


@dataclass(repr=False, eq=False)
class EntryPoint(Data):
    """A ``wsgi.py``/``asgi.py`` Heroku may start, and what it does at import."""

    path: str
    settings_default: str | None = None  # the DJANGO_SETTINGS_MODULE it defaults to
    settings_span: Span | None = None  # where that default is written
    production_module: str | None = None  # a production module beside the default, if any
    legacy_whitenoise: list[Span] = field(default_factory=list)  # uses of whitenoise.django


@dataclass(repr=False, eq=False)
class DotenvFile(Data):
    """A ``.env`` file of the build that git would commit, and why.

    ``ignored_by`` is the ``.gitignore`` line that ignores it (so a file still listed by
    git is tracked); ``comment_trap`` a line such as ``.env  # secrets`` that was meant to
    ignore it but matches nothing, because gitignore has no trailing comments.
    """

    path: str
    ignored_by: Span | None = None
    comment_trap: Span | None = None


@dataclass(repr=False, eq=False)
class ParseError(Data):
    """A file djhlint must read but cannot decode or parse (reported as DJH000)."""

    span: Span
    reason: str


@dataclass(repr=False, eq=False)
class PythonPin(Data):
    """A Python version the project states somewhere Heroku does not read it.

    ``source`` is the file (a misplaced ``runtime.txt`` or ``.python-version``, the
    ``Pipfile``, ``pyproject.toml``); ``version`` is its major.minor, such as ``"3.12"``.
    """

    version: str
    source: str


@dataclass(repr=False, eq=False)
class Context(Data):
    """Everything a rule may look at, for one Django project."""

    build_root: str  # absolute path
    project_dir: str  # folder holding manage.py, relative to the build root ("" for the root)
    files: frozenset[str]  # every file of the build, relative to the build root
    settings: SettingsModel | None
    procfile: Procfile | None  # the real Procfile, or the misnamed file when there is none
    misnamed_procfiles: list[str]  # root files meant to be a Procfile, when none is named right
    version_files: dict[str, VersionFile]  # by name: "runtime.txt", ".python-version"
    pipfile_lock_python: str | None  # _meta.requires.python_version of Pipfile.lock
    parse_errors: list[ParseError]
    # The build around the settings: filled by the parse stage, empty when unknown.
    in_git: bool = False  # the files are what git lists (tracked, or untracked and not ignored)
    pipfile_lock_python_span: Span | None = None
    misnamed_version_files: list[str] = field(default_factory=list)  # ".python-version.txt", "runtime.text"
    requirements: Requirements | None = None  # None: no package manager file at the build root
    requirements_errors: list[ParseError] = field(default_factory=list)  # unreadable requirements files
    misnamed_requirements: list[str] = field(default_factory=list)  # "requirement.txt", "requirements.text"
    app_json_env: dict[str, str] = field(default_factory=dict)
    app_json_buildpacks: list[str] | None = None  # app.json "buildpacks" URLs; None without the key
    buildpacks_file: list[str] | None = None  # lines of a .buildpacks file; None without one
    entry_points: list[EntryPoint] = field(default_factory=list)
    settings_module_set_by: list[str] = field(default_factory=list)  # places that set DJANGO_SETTINGS_MODULE
    committed_venvs: list[str] = field(default_factory=list)  # virtualenv folders git would commit
    dotenv_files: list[DotenvFile] = field(default_factory=list)  # .env files git would commit
    python_pins: list[PythonPin] = field(default_factory=list)  # in order of trust


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
# say what to do to Python code, and the fix stage (``fixes.py``) resolves them into
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


@dataclass(repr=False, eq=False)
class AddKeyword(FrozenData):
    """``f(a, b=1)`` -> ``f(a, b=1, keyword=value)``; an existing ``keyword=`` gets ``value``."""

    call: Span
    keyword: str
    value: str  # Python source of the value


@dataclass(repr=False, eq=False)
class UseMethod(FrozenData):
    """``env("X", default=1)`` -> ``env.method("X", default=1)``, only when the call passes
    at most ``max_positional`` positional arguments and no keyword outside ``keywords``."""

    call: Span
    method: str
    max_positional: int = 1
    keywords: tuple[str, ...] = ("default",)


@dataclass(repr=False, eq=False)
class CompareEnvString(FrozenData):
    """``os.environ.get("X", d)`` or ``bool(os.getenv("X"))`` -> ``os.environ.get("X", "d").lower()
    in ("1", "true", "yes", "on")``.  ``default`` is the string fallback to pass, or ``None``
    to keep the call's own string fallback."""

    read: Span
    default: str | None


@dataclass(repr=False, eq=False)
class DropFallback(FrozenData):
    """An environment read loses its fallback: ``config("X", default="k")`` -> ``config("X")``,
    ``os.environ.get("X", "k")`` and ``os.getenv("X") or "k"`` -> ``os.environ["X"]``.
    ``api`` and ``via`` are the ``EnvRead``'s."""

    read: Span
    api: str
    via: str | None


@dataclass(repr=False, eq=False)
class ReadEnv(FrozenData):
    """A literal becomes a read of environment variable ``var``, in the style the module
    already uses: decouple's ``config``, a django-environ ``env``, else ``os.environ``."""

    value: Span
    var: str


@dataclass(repr=False, eq=False)
class ReplaceString(FrozenData):
    """A string literal holding ``old`` is rewritten to hold ``new``, keeping its quotes."""

    string: Span
    old: str
    new: str


@dataclass(repr=False, eq=False)
class MoveElement(FrozenData):
    """The list element at ``item`` moves directly after (or before) the one at ``anchor``,
    in the same list display, with the comments on its line and the lines above it."""

    item: Span
    anchor: Span
    after: bool = True


@dataclass(repr=False, eq=False)
class InsertElement(FrozenData):
    """A string element holding ``value`` is inserted ``"after"`` or ``"before"`` the
    element at ``anchor``, or ``"into"`` the empty list display at ``anchor``."""

    anchor: Span
    where: str
    value: str


@dataclass(repr=False, eq=False)
class AddStatement(FrozenData):
    """``code`` (one statement) goes after the top-level statement holding ``site``;
    each module of ``imports`` is imported at the top first unless it already is.
    With ``match_quotes``, the strings of ``code`` take the quotes the module mostly uses."""

    site: Span
    code: str
    imports: tuple[str, ...] = ()
    comment: str = ""  # a comment line above the new statement
    match_quotes: bool = False


@dataclass(repr=False, eq=False)
class ReplaceValue(FrozenData):
    """The expression at ``value`` becomes ``code`` (Python source of an expression),
    its strings in the quotes the module mostly uses."""

    value: Span
    code: str


@dataclass(repr=False, eq=False)
class AddDictEntry(FrozenData):
    """The entry ``key: code`` goes first (or last) in the dict display at ``dict``,
    unless the key is there already; the strings take the quotes of the dict's keys."""

    dict: Span
    key: str
    code: str  # Python source of the value
    first: bool = True


@dataclass(repr=False, eq=False)
class MoveToStorages(FrozenData):
    """``STATICFILES_STORAGE = "X"`` (``setting`` is its name, ``value`` the string)
    becomes the ``"staticfiles"`` entry of ``STORAGES``: of the dict display at
    ``storages``, in the same module, when there is one (the old statement goes), else
    of a new ``STORAGES`` in its place with Django's ``"default"`` beside it.  With
    ``add_default``, the existing dict gains that ``"default"`` too."""

    setting: Span
    value: Span
    storages: Span | None = None
    add_default: bool = False


@dataclass(repr=False, eq=False)
class Reencode(FrozenData):
    """A UTF-16 text file (with its byte order mark) is written again as UTF-8 without
    one, its text unchanged: a ``rewrite`` edit."""

    file: str


@dataclass(repr=False, eq=False)
class AddRequirement(FrozenData):
    """``name`` is appended to the build root's ``requirements.txt`` unless it, or one of
    ``satisfied_by``, is already required there."""

    name: str
    satisfied_by: tuple[str, ...] = ()


Intent = (
    AddKeyword | UseMethod | CompareEnvString | DropFallback | ReadEnv | ReplaceString | MoveElement
    | InsertElement | AddStatement | ReplaceValue | AddDictEntry | MoveToStorages | AddRequirement | Reencode
)


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


@dataclass(repr=False, eq=False)
class FileChange(Data):
    """What the fixes do to one file, end to end: ``origin`` is the path it had (``None``
    when the fixes create it), ``path`` the one it ends with; ``before`` is the content
    as it was read, ``after`` the content to write (``None`` when the fixes delete it)."""

    path: str
    origin: str | None
    before: bytes | None
    after: bytes | None

    @property
    def deleted(self) -> bool:
        return self.after is None
