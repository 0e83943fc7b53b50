"""A setting's value as djhlint understands it, and the settings model built of them.

Frozen dataclasses, built by the interpreter (``interpreter.py``) without running the
project's code, cached as JSON (``cache.py``) and read by the rules and the settings view.
A value compares field by field, its span included: two values are equal when they are
the same thing written at the same place.  While a module runs, the spans of its values
are stand-ins that all compare equal (``spans.py``): the interpreter tells those values
apart by identity.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..ftypes import Span

TYPE_CHECKING = False  # typing is imported by type checkers only: djhlint starts faster without it
if TYPE_CHECKING:
    from typing import Any


@dataclass(frozen=True, slots=True)
class Literal:
    """A scalar literal: str, int, float, bool or None."""

    value: str | int | float | bool | None
    span: Span


@dataclass(frozen=True, slots=True)
class ListValue:
    """A list, tuple or set display; ``items`` are values in source order."""

    items: tuple[Value, ...]
    span: Span
    kind: str = "list"  # "list", "tuple" or "set"


@dataclass(frozen=True, slots=True)
class DictValue:
    """A dict display.  Keys that are not literals make the entry unknown to lookups."""

    entries: tuple[tuple[Value, Value], ...]
    span: Span

    def get(self, key: str) -> Value | None:
        found = None
        for k, v in self.entries:
            if isinstance(k, Literal) and k.value == key:
                found = v
        return found


@dataclass(frozen=True, slots=True)
class EnvRead:
    """A value read from the environment.

    ``api`` names the reader: ``os.environ[]``, ``os.environ.get``, ``os.getenv``,
    ``decouple``, ``environ`` (django-environ's ``env(...)``), ``environ.<method>``
    (``env.bool`` ...), ``dj_database_url``.  ``var`` is the variable's name when it is
    a literal.  ``default`` is the fallback when the variable is unset (``None`` when
    there is none: the read fails or yields ``None``).  ``cast`` says what the raw
    string is turned into: ``bool``, ``int``, ``float``, ``list``, ``json``, ``dict``,
    ``db``, ``str`` or ``unknown``; ``None`` means the result stays a string.
    ``wrapper`` is ``"bool()"`` when the string is passed to Python's ``bool()``,
    which is true for any non-empty string.  ``dotenv`` names the committed file
    (``.env``, ``settings.ini``) whose value is the fallback, ``fallback_via`` then being
    ``"dotenv"``: that value deploys wherever no config var is set (``default`` holds it,
    as a string, spanned at the read).
    """

    api: str
    var: str | None
    span: Span
    default: Value | None = None
    cast: str | None = None
    wrapper: str | None = None
    fallback_via: str | None = None  # "default", "positional", "or" or "dotenv"
    dotenv: str | None = None

    @property
    def yields_string(self) -> bool:
        """True when the value reaching Django is the raw environment string."""
        return self.cast is None or self.cast == "str"


@dataclass(frozen=True, slots=True)
class Unknown:
    """Something djhlint cannot evaluate.  ``kind`` hints at its type where known:
    ``bool`` (a comparison, ``not``, ``in``), ``generated`` (a random secret), ``path``
    (with ``text`` ``"pathlib.Path"`` when it certainly is one, such as
    ``Path(__file__).resolve().parent``), ``call:<qualified name>`` or ``""``."""

    span: Span
    kind: str = ""
    text: str = ""


Value = Literal | ListValue | DictValue | EnvRead | Unknown

PATHLIB = "pathlib.Path"
PATH_STRING = "str"  # the text of a path built by os.path


def is_path(value: Value | None) -> bool:
    """True when ``value`` is a filesystem path built at run time (a ``str`` or a ``pathlib.Path``)."""
    return isinstance(value, Unknown) and value.kind == "path"


def is_path_string(value: Value | None) -> bool:
    """True when ``value`` is certainly a ``str`` path built by ``os.path`` (``os.path.dirname(...)``)."""
    return is_path(value) and value.text == PATH_STRING  # type: ignore[union-attr]


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


@dataclass(frozen=True, slots=True)
class Binding:
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


@dataclass(frozen=True, slots=True)
class ImportRef:
    """A module-level ``import X`` or ``from X import ...`` of a module in the settings chain.

    ``module`` is the top-level name (``decouple`` for ``from decouple import config``);
    ``guarded`` is true when the import sits under ``try``, ``if``, a loop or ``match``,
    so a missing package may be handled.
    """

    module: str
    span: Span
    guarded: bool = False


@dataclass(frozen=True, slots=True)
class ModuleRef:
    """A module of the settings chain, and the import that ran it."""

    name: str  # dotted module name
    path: str  # relative to the build root
    imported_by: str | None = None  # the module whose import ran this one; None for the judged module
    statement: str = ""  # that import, e.g. "from .base import *"
    site: Span | None = None  # where that import is
    note: str = ""  # why the import runs on Heroku, or may not (a committed local_settings.py under try)


@dataclass(frozen=True, slots=True)
class ReadSite:
    """An environment read the settings chain's code ran, whatever became of its value:
    ``target`` is the module-level name its statement assigns (``""`` for a test, a call
    statement, a name it cannot tell); ``guarded`` is true when the code may not run
    (under ``try``, an ``if`` djhlint cannot decide, a loop or ``match``, in one branch of
    ``a if t else b``, on the right of ``or``)."""

    read: EnvRead
    target: str = ""
    guarded: bool = False
    condition: str = ""  # when guarded, the innermost reason: "when `os.environ.get('USE_S3')` is true"


@dataclass(frozen=True, slots=True)
class SettingsModel:
    """The deployed settings as djhlint understands them."""

    module: str  # the judged module, e.g. "mysite.settings.production"
    path: str  # its file, relative to the build root
    reason: str  # why this module was judged
    chain: list[ModuleRef] = field(default_factory=list)  # modules read, in execution order
    settings: dict[str, Binding] = field(default_factory=dict)
    complete: bool = True  # false when a module of the chain could not be parsed
    imports: list[ImportRef] = field(default_factory=list)  # third-party imports of the chain
    django_heroku_calls: list[Span] = field(default_factory=list)  # django_heroku.settings(...) calls run
    # What the chain's code did that no setting holds, in execution order: ("error-tracker",
    # the call setting up error reporting: sentry_sdk.init(...), logging.basicConfig(...)),
    # ("string-division", an os.path string divided like a pathlib.Path: TypeError at import).
    events: list[tuple[str, Span]] = field(default_factory=list)
    # Every environment read the chain ran, in execution order, the innermost of nested
    # ones (``os.environ["X"]`` in ``dj_database_url.parse(...)``): also those whose
    # value a later statement replaced, or that went into a test or a lowercase name.
    env_reads: list[ReadSite] = field(default_factory=list)
    # The environment readers each module of the chain holds when it has run, by file:
    # local name -> the reader (``environ.Env()`` for ``env`` made in base.py and star- or
    # name-imported into production.py, ``decouple.config``), for a fix that reads with them.
    readers: dict[str, dict[str, str]] = field(default_factory=dict)

    def get(self, name: str) -> Binding | None:
        return self.settings.get(name)
