"""What the settings model knows of libraries: one recogniser per qualified name.

The interpreter (``interpreter.py``, ``expressions.py``) knows Python; everything it
knows of a library is here.  It resolves what a call names through the import tracker
(``imports.py``: ``from decouple import config as cfg`` makes ``cfg(...)`` a call of
``decouple.config``) and looks that qualified name up in this registry.  To teach the
model a library, write one function::

    @recognizer("envlite.text")
    def _envlite_text(call: Call, args: Args) -> Value | None:
        '''envlite's ``text(var, fallback)``: a string read from the environment.'''
        default, via = args.default(1, "fallback")
        return EnvRead("envlite", args.text(0, "var"), call.span, default=default, fallback_via=via)

``args`` hands out the arguments by position and keyword (``text``: a literal string,
``value``: any value, ``default``: a fallback and how it was given); ``call`` has the
qualified name, the span the value carries, and ``state`` for an object a ``@maker``
made.  It returns the value the call stands for (``values.py``), or None to leave the call to
the interpreter's generic handling (a conversion of an environment read, a method of a
string or a path, else unknown).  Its docstring says what it recognises: the tests
check every name here has one.  Three kinds of registration:

- ``@recognizer(name, ...)``: the value of a call (``os.getenv(...)``) or, for a name
  ending in ``[]``, of a subscript (``os.environ["X"]``: ``args.value(0)`` is the key).
  ``name`` is a qualified name, ``prefix.*`` (any method of ``prefix``) or ``*.last``
  (any callable named ``last``, ``any_case=True``: in any case); a ``[]`` name is
  matched exactly.
- ``@maker(name, ...)``: an assignment ``x = name(...)`` makes ``x`` stand for a
  library object; returns a ``Made`` (``env = environ.Env()``: ``env.bool`` is then
  ``environ.Env().bool``).
- ``@effect(name, ...)``: what a call made as a statement does to the module's
  settings (``django_heroku.settings(locals())``), through ``Effects``.

The lookup order is: the exact name, then ``prefix.*`` from the longest prefix, then
``*.last``, then ``*.last`` in any case.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Protocol

import libcst as cst

from ..ftypes import Span
from .values import PATH_STRING, PATHLIB, DictValue, EnvRead, ListValue, Literal, Unknown, Value


class Evaluator(Protocol):
    """What a recogniser may ask of the interpreter (``expressions.Evaluator``)."""

    def eval(self, node: cst.BaseExpression) -> Value:  # pragma: no cover - interface
        raise NotImplementedError

    def qualname(self, node: cst.BaseExpression) -> str | None:  # pragma: no cover - interface
        raise NotImplementedError

    def state_of(self, node: cst.BaseExpression) -> object:  # pragma: no cover - interface
        raise NotImplementedError


class Args:
    """A call's arguments (or a subscript's key, as argument 0), each evaluated at most once.

    Arguments are picked by position and keyword: ``value(0, "key")`` is the first
    positional argument, else the keyword argument ``key``.
    """

    __slots__ = ("positional", "keywords", "evaluator", "values")

    def __init__(
        self,
        positional: list[cst.BaseExpression],
        keywords: dict[str, cst.BaseExpression],
        evaluator: Evaluator,
        values: dict[int, Value] | None = None,
    ) -> None:
        self.positional = positional  # the syntax of the positional arguments (``*args`` left out)
        self.keywords = keywords  # the syntax of the keyword arguments, by keyword
        self.evaluator = evaluator
        self.values: dict[int, Value] = {} if values is None else values  # by id of the syntax: evaluated already

    @classmethod
    def of(cls, node: cst.Call, evaluator: Evaluator) -> Args:
        positional = [a.value for a in node.args if a.keyword is None and not a.star]
        keywords = {a.keyword.value: a.value for a in node.args if a.keyword is not None}
        return cls(positional, keywords, evaluator)

    def node(self, index: int | None = None, keyword: str | None = None) -> cst.BaseExpression | None:
        """The syntax of positional argument ``index``, else of keyword ``keyword``."""
        if index is not None and len(self.positional) > index:
            return self.positional[index]
        return self.keywords.get(keyword) if keyword is not None else None

    def eval(self, node: cst.BaseExpression) -> Value:
        """The value of an argument's syntax, evaluated once however often asked."""
        value = self.values.get(id(node))
        if value is None:
            value = self.values[id(node)] = self.evaluator.eval(node)
        return value

    def value(self, index: int | None = None, keyword: str | None = None) -> Value | None:
        """The value of positional argument ``index``, else of keyword ``keyword``; None when absent."""
        node = self.node(index, keyword)
        return self.eval(node) if node is not None else None

    def text(self, index: int | None = None, keyword: str | None = None) -> str | None:
        """The argument when it is a literal string (an environment variable's name), else None."""
        value = self.value(index, keyword)
        return value.value if isinstance(value, Literal) and isinstance(value.value, str) else None

    def default(self, index: int | None = None, keyword: str = "default") -> tuple[Value | None, str | None]:
        """A fallback given by keyword (first) or position: (value, "default" or "positional")."""
        if keyword in self.keywords:
            return self.eval(self.keywords[keyword]), "default"
        if index is not None and len(self.positional) > index:
            return self.eval(self.positional[index]), "positional"
        return None, None


@dataclasses.dataclass
class Call:
    """The call (or subscript) being recognised."""

    qualname: str  # what it calls, resolved through the imports: ``decouple.config``
    node: cst.CSTNode  # its syntax: a ``cst.Call``, or a ``cst.Subscript`` for a ``[]`` name
    span: Span  # where it is: the span a value it stands for carries
    evaluator: Evaluator

    @property
    def state(self) -> object:
        """What the object called was made with (``Made.state``): django-environ's scheme."""
        func = self.node.func if isinstance(self.node, cst.Call) else self.node.value  # type: ignore[attr-defined]
        return self.evaluator.state_of(func)

    def eval(self, node: cst.BaseExpression) -> Value:
        """The value of any expression (an element of an argument)."""
        return self.evaluator.eval(node)

    def qualname_of(self, node: cst.BaseExpression) -> str | None:
        """The qualified name of an expression (``bool`` in ``cast=bool``), or None."""
        return self.evaluator.qualname(node)


@dataclasses.dataclass
class Made:
    """What a ``@maker`` says an assigned name now stands for.

    ``qualified`` is the name its calls resolve to (``environ.Env()``: ``env.bool`` is
    ``environ.Env().bool``) and ``state`` what recognisers of those calls get as
    ``call.state``.  With ``alias``, the name stands for ``qualified`` as an import
    would bind it (``config = AutoConfig()`` is decouple's ``config``).
    """

    qualified: str
    state: object = None
    alias: bool = False


class Effects(Protocol):
    """What a call made as a statement may do to the module being run."""

    django_heroku_calls: list[Span]
    events: list[tuple[str, Span]]

    def is_set(self, name: str) -> bool:  # pragma: no cover - interface
        raise NotImplementedError

    def bind(self, name: str, values: tuple[Value, ...], site: Span) -> None:  # pragma: no cover - interface
        raise NotImplementedError

    def change(self, name: str, fn: Callable[[Value], Value], site: Span) -> None:  # pragma: no cover - interface
        raise NotImplementedError

    def update_path(self, name: str, keys: list[str | None], fn: Callable[[Value], Value], site: Span) -> None:  # pragma: no cover
        raise NotImplementedError

    def read_env(self, where: str, overwrite: bool) -> None:  # pragma: no cover - interface
        """Copy a committed ``.env`` into the environment (django-environ's ``read_env``):
        ``where`` is ``"module"`` (beside the module), ``"root"`` (the dyno's working
        folder, the build root) or ``"above"`` (the one committed ``.env`` at or above
        the module's folder, for a path built from ``BASE_DIR``)."""
        raise NotImplementedError


Recognizer = Callable[[Call, Args], Value | None]
Maker = Callable[[Call, Args], Made | None]
Effect = Callable[[Call, Args, Effects], None]


class Registry:
    """Functions keyed by qualified name, ``prefix.*``, ``*.last`` or (any case) ``*.last``."""

    def __init__(self) -> None:
        self.exact: dict[str, Callable] = {}
        self.prefixes: dict[str, Callable] = {}  # "environ.Env()" for "environ.Env().*"
        self.lasts: dict[str, Callable] = {}  # "token_hex" for "*.token_hex"
        self.folded: dict[str, Callable] = {}  # "strtobool" for "*.strtobool", any_case

    def slot(self, name: str, any_case: bool = False) -> tuple[dict[str, Callable], str]:
        """The table and key ``name`` is registered under."""
        if name.startswith("*."):
            return (self.folded, name[2:].lower()) if any_case else (self.lasts, name[2:])
        if name.endswith(".*"):
            return self.prefixes, name[:-2]
        return self.exact, name

    def add(self, name: str, fn: Callable, any_case: bool = False) -> None:
        table, key = self.slot(name, any_case)
        if key in table:
            raise ValueError(f"two recognisers for {name}")
        table[key] = fn

    def remove(self, name: str, any_case: bool = False) -> None:
        """Forget ``name`` (a test that registered one puts things back)."""
        table, key = self.slot(name, any_case)
        del table[key]

    def find(self, qual: str) -> Callable | None:
        found = self.exact.get(qual)
        if found is not None or not qual:
            return found
        if self.prefixes:
            prefix = qual
            while "." in prefix:
                prefix = prefix.rpartition(".")[0]
                found = self.prefixes.get(prefix)
                if found is not None:
                    return found
        last = qual.rpartition(".")[2]
        return self.lasts.get(last) or self.folded.get(last.lower())

    def names(self) -> dict[str, Callable]:
        """Every name registered, as written in the decorator, with its function."""
        return {
            **self.exact,
            **{f"{k}.*": f for k, f in self.prefixes.items()},
            **{f"*.{k}": f for k, f in self.lasts.items()},
            **{f"*.{k}": f for k, f in self.folded.items()},
        }


VALUES = Registry()
MAKERS = Registry()
EFFECTS = Registry()


def recognizer(*names: str, any_case: bool = False) -> Callable[[Recognizer], Recognizer]:
    """Register the value of calls of ``names`` (``name[]``: of subscripts)."""

    def register(fn: Recognizer) -> Recognizer:
        for name in names:
            VALUES.add(name, fn, any_case)
        return fn

    return register


def maker(*names: str) -> Callable[[Maker], Maker]:
    """Register what ``x = name(...)`` makes ``x`` stand for."""

    def register(fn: Maker) -> Maker:
        for name in names:
            MAKERS.add(name, fn)
        return fn

    return register


def effect(*names: str) -> Callable[[Effect], Effect]:
    """Register what a statement ``name(...)`` does to the module's settings."""

    def register(fn: Effect) -> Effect:
        for name in names:
            EFFECTS.add(name, fn)
        return fn

    return register


# ---------------------------------------------------------------------- casts


# Functions that turn an environment string into a real bool.
BOOL_PARSERS = ("strtobool", "str2bool", "str_to_bool", "to_bool", "as_bool", "parse_bool", "asbool", "is_true", "truthy")


def cast_name(qual: str) -> str | None:
    """The cast a type or parser names (``cast=bool``, ``(int, 5)``), or None."""
    last = qual.rsplit(".", 1)[-1]
    if qual in ("bool", "int", "float", "str", "list", "tuple", "dict"):
        return {"tuple": "list"}.get(qual, qual)
    if last.lower() in BOOL_PARSERS:
        return "bool"
    if qual in ("json.loads", "ast.literal_eval"):
        return "json"
    return None


def cast_of(call: Call, node: cst.BaseExpression | None) -> str | None:
    """The cast of a ``cast=`` argument: a type, a parser, decouple's ``Csv()`` or ``Choices()``."""
    if node is None:
        return None
    if isinstance(node, cst.Call):
        qual = call.qualname_of(node.func) or ""
        if qual.endswith("Csv"):
            return "list"
        if qual.endswith("Choices"):
            return "str"
        return "unknown"
    return cast_name(call.qualname_of(node) or "") or "unknown"


# ---------------------------------------------------------------------- os


@recognizer("os.environ.get", "os.getenv", "os.environ.setdefault")
def _os_environ_get(call: Call, args: Args) -> Value | None:
    """``os.environ.get(var, default)``, ``os.getenv(var, default)`` and ``os.environ.setdefault``:
    an environment read, the default its fallback (``setdefault`` reads like ``get``)."""
    default, via = args.default(1)
    api = call.qualname if call.qualname != "os.environ.setdefault" else "os.environ.get"
    return EnvRead(api, args.text(0, "key"), call.span, default=default, fallback_via=via)


@recognizer("os.environ[]")
def _os_environ_item(call: Call, args: Args) -> Value | None:
    """``os.environ["X"]``: an environment read with no fallback."""
    return EnvRead("os.environ[]", args.text(0), call.span)


# ---------------------------------------------------------------------- python-decouple


@recognizer("decouple.config", "decouple.Config()")
def _decouple_config(call: Call, args: Args) -> Value | None:
    """python-decouple's ``config(option, default=..., cast=...)``; ``cast=Csv()`` makes a list.
    Also a ``config = AutoConfig(...)`` or ``Config(RepositoryEnv(...))`` (see the makers)."""
    default, via = args.default(1)
    cast = cast_of(call, args.keywords.get("cast"))
    return EnvRead("decouple", args.text(0, "option"), call.span, default=default, cast=cast, fallback_via=via)


@maker("decouple.AutoConfig", "decouple.Config")
def _decouple_auto_config(call: Call, args: Args) -> Made | None:
    """``config = AutoConfig(search_path=...)`` or ``Config(RepositoryEnv(".env"))``: ``config``
    then reads like python-decouple's ``config``.  An ``AutoConfig()`` with no search path
    looks for its file as ``config`` does (from the calling module's folder up); one told
    where to look, or a ``Config``, reads a file the model does not follow."""
    if call.qualname.endswith("AutoConfig") and not args.positional and not args.keywords:
        return Made("decouple.config", alias=True)
    return Made("decouple.Config()", alias=True)


# ---------------------------------------------------------------------- django-environ


# Methods of environ.Env whose second positional argument is the default, and their cast.
DJANGO_ENVIRON_DEFAULT_POSITION = {
    "str": "str", "bool": "bool", "int": "int", "float": "float", "json": "json", "url": "str", "path": "str",
    "db": "db", "db_url": "db", "cache": "cache", "cache_url": "cache", "email": "email", "email_url": "email",
    "search_url": "search",
}
DJANGO_ENVIRON_CAST_POSITION = {"list": "list", "tuple": "list", "dict": "dict"}  # second positional is the cast
DJANGO_ENVIRON_URL_VARS = {"db": "DATABASE_URL", "cache": "CACHE_URL", "email": "EMAIL_URL", "search": "SEARCH_URL"}

Scheme = dict[str, tuple[str, Value | None]]  # variable -> (cast, default)


@maker("environ.Env", "environ.environ.Env")
def _environ_env(call: Call, args: Args) -> Made | None:
    """``env = environ.Env(DEBUG=(bool, False))``: django-environ's ``Env``, with its scheme
    (a cast and default per variable), so ``env("DEBUG")`` is a bool read."""
    scheme: Scheme = {}
    for keyword, value in args.keywords.items():
        cast: str = "unknown"
        default: Value | None = None
        if isinstance(value, cst.Tuple) and value.elements:
            cast = cast_name(call.qualname_of(value.elements[0].value) or "") or "unknown"
            if len(value.elements) > 1:
                default = call.eval(value.elements[1].value)
        else:
            cast = cast_name(call.qualname_of(value) or "") or "unknown"
        scheme[keyword] = (cast, default)
    return Made("environ.Env()", scheme)


@recognizer("environ.Env()")
def _environ_call(call: Call, args: Args) -> Value | None:
    """django-environ's ``env(var, cast=..., default=...)``; the scheme ``Env(...)`` was made
    with gives the cast and default the call leaves out."""
    var = args.text(0, "var")
    cast = cast_of(call, args.keywords.get("cast", args.positional[1] if len(args.positional) > 1 else None))
    default, via = args.default(keyword="default")
    scheme: Scheme = call.state or {}  # type: ignore[assignment]
    found = scheme.get(var or "")
    if found is not None:
        cast = cast or found[0]
        if default is None and found[1] is not None:
            default, via = found[1], "default"
    return EnvRead("environ", var, call.span, default=default, cast=cast, fallback_via=via)


@recognizer("environ.Env().*")
def _environ_method(call: Call, args: Args) -> Value | None:
    """django-environ's ``env.str/bool/int/float/json/url/path(var, default)``, ``env.db/cache/
    email/search_url(var=DATABASE_URL...)`` and ``env.list/tuple/dict(var, cast, default=)``;
    any other method of ``Env`` is unknown."""
    method = call.qualname.rsplit(".", 1)[1]
    var = args.text(0, "var")
    if method in DJANGO_ENVIRON_DEFAULT_POSITION:
        cast = DJANGO_ENVIRON_DEFAULT_POSITION[method]
        default, via = args.default(1)
        if cast in DJANGO_ENVIRON_URL_VARS and var is None:
            var = DJANGO_ENVIRON_URL_VARS[cast]
        return EnvRead(f"environ.{method}", var, call.span, default=default, cast=None if cast == "str" else cast, fallback_via=via)
    if method in DJANGO_ENVIRON_CAST_POSITION:
        default, via = args.default(keyword="default")
        return EnvRead(f"environ.{method}", var, call.span, default=default, cast=DJANGO_ENVIRON_CAST_POSITION[method], fallback_via=via)
    return Unknown(call.span, f"call:{call.qualname}")


@effect("environ.Env.read_env", "environ.Env().read_env", "environ.environ.Env.read_env")
def _environ_read_env(call: Call, args: Args, module: Effects) -> None:
    """django-environ's ``Env.read_env(env_file=None, overwrite=False)``: copies a ``.env``
    into ``os.environ``, keeping the variables already set unless ``overwrite=True``.  With
    no file, the ``.env`` beside the calling module; ``BASE_DIR / ".env"``,
    ``os.path.join(BASE_DIR, ".env")`` and ``str(...)`` of them, one above it."""
    where = _env_file_place(call, args.node(0, "env_file"))
    if where is not None:
        overwrite = args.value(keyword="overwrite")
        module.read_env(where, isinstance(overwrite, Literal) and overwrite.value is True)


def _env_file_place(call: Call, node: cst.BaseExpression | None) -> str | None:
    """Where a ``read_env`` argument points (see ``Effects.read_env``), or None when the
    model cannot tell."""
    if node is None:
        return "module"
    if isinstance(node, cst.Call) and len(node.args) == 1 and call.qualname_of(node.func) in ("str", "os.fspath"):
        return _env_file_place(call, node.args[0].value)
    if isinstance(node, cst.SimpleString):
        return "root" if node.evaluated_value in (".env", "./.env") else None
    # The folder joined with ".env" must be a name (BASE_DIR), not one built further
    # (BASE_DIR / "config" / ".env"), whose folder the model cannot tell.
    parts: list[cst.BaseExpression] = []
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Divide):
        parts = [node.left, node.right]
    elif isinstance(node, cst.Call) and call.qualname_of(node.func) == "os.path.join" and len(node.args) == 2:
        parts = [node.args[0].value, node.args[1].value]
    if parts and isinstance(parts[0], (cst.Name, cst.Attribute)) and isinstance(parts[1], cst.SimpleString):
        return "above" if parts[1].evaluated_value == ".env" else None
    return None


# ---------------------------------------------------------------------- dj-database-url


DB_ENGINES = {
    "sqlite": "django.db.backends.sqlite3", "spatialite": "django.contrib.gis.db.backends.spatialite",
    "postgres": "django.db.backends.postgresql", "postgresql": "django.db.backends.postgresql",
    "pgsql": "django.db.backends.postgresql", "postgis": "django.contrib.gis.db.backends.postgis",
    "mysql": "django.db.backends.mysql", "mysql2": "django.db.backends.mysql", "oracle": "django.db.backends.oracle",
}


@recognizer("dj_database_url.config")
def _dj_database_url_config(call: Call, args: Args) -> Value | None:
    """dj-database-url's ``config(env="DATABASE_URL", default=...)``: a database read from the environment."""
    default = args.value(keyword="default")
    return EnvRead("dj_database_url", args.text(keyword="env") or "DATABASE_URL", call.span, default=default, cast="db", fallback_via="default" if default else None)


@recognizer("dj_database_url.parse")
def _dj_database_url_parse(call: Call, args: Args) -> Value | None:
    """dj-database-url's ``parse(url)``: of an environment read, a database read; of a literal
    URL, a database whose ENGINE its scheme names."""
    if not args.positional:
        return None
    span = call.span
    inner = args.value(0)
    if isinstance(inner, EnvRead):
        return dataclasses.replace(inner, span=span, api="dj_database_url", cast="db")
    if isinstance(inner, Literal) and isinstance(inner.value, str):
        url_scheme = inner.value.split(":", 1)[0].split("+")[0].lower()
        engine = DB_ENGINES.get(url_scheme)
        if engine:
            return DictValue(((Literal("ENGINE", span), Literal(engine, inner.span)),), span)
    return Unknown(span, "call:dj_database_url.parse")


# ---------------------------------------------------------------------- django-heroku


WHITENOISE = "whitenoise.middleware.WhiteNoiseMiddleware"
SECURITY = "django.middleware.security.SecurityMiddleware"


@effect("django_heroku.settings")
def _django_heroku_settings(call: Call, args: Args, module: Effects) -> None:
    """What django-heroku 0.3.1's ``settings(locals())`` does to the module's settings:
    ALLOWED_HOSTS ``["*"]``, WhiteNoise and static files, DATABASES and SECRET_KEY from
    the environment, a LOGGING of its own, each unless turned off by its keyword
    (``databases=False``)."""
    module.django_heroku_calls.append(call.span)
    _heroku_settings(call, args, module, fork=False)


@effect("django_on_heroku.settings")
def _django_on_heroku_settings(call: Call, args: Args, module: Effects) -> None:
    """django-on-heroku 1.1's ``settings(locals())``, the fork of django-heroku: the same
    settings, but WhiteNoise goes right after SecurityMiddleware (first when there is none)."""
    module.events.append(("django-on-heroku", call.span))
    _heroku_settings(call, args, module, fork=True)


def _heroku_settings(call: Call, args: Args, module: Effects, fork: bool) -> None:
    site = call.span
    options = {keyword: args.eval(node) for keyword, node in args.keywords.items()}

    def enabled(name: str) -> bool:
        value = options.get(name)
        return not (isinstance(value, Literal) and value.value is False)

    if enabled("allowed_hosts"):
        module.bind("ALLOWED_HOSTS", (ListValue((Literal("*", site),), site),), site)
    if enabled("staticfiles"):
        wn = Literal(WHITENOISE, site)

        def prepend(value: Value) -> Value:
            if not isinstance(value, ListValue):
                return Unknown(site, "changed")
            if not fork:
                return ListValue((wn,) + value.items, site, "tuple")
            at = next((i + 1 for i, item in enumerate(value.items) if isinstance(item, Literal) and item.value == SECURITY), 0)
            return ListValue(value.items[:at] + (wn,) + value.items[at:], site, "tuple")

        module.change("MIDDLEWARE", prepend, site)
        module.bind("STATIC_ROOT", (Unknown(site, "path"),), site)
        module.bind("STATIC_URL", (Literal("/static/", site),), site)
        module.bind("STATICFILES_STORAGE", (Literal("whitenoise.storage.CompressedManifestStaticFilesStorage", site),), site)
    if enabled("databases"):
        module.update_path(
            "DATABASES", ["default"], lambda old: EnvRead("django_heroku", "DATABASE_URL", site, default=old, cast="db"), site
        )
    if enabled("logging"):
        # Its LOGGING configures one logger, named "testlogger" (django_heroku/core.py).
        def entry(key: str, value: Value) -> tuple[Value, Value]:
            return (Literal(key, site), value)

        console = DictValue((entry("class", Literal("logging.StreamHandler", site)),), site)
        testlogger = DictValue((entry("handlers", ListValue((Literal("console", site),), site)),), site)
        config = (
            entry("version", Literal(1, site)),
            entry("disable_existing_loggers", Literal(False, site)),
            entry("handlers", DictValue((entry("console", console),), site)),
            entry("loggers", DictValue((entry("testlogger", testlogger),), site)),
        )
        module.bind("LOGGING", (DictValue(config, site),), site)
    if enabled("secret_key") and module.is_set("SECRET_KEY"):
        module.change(
            "SECRET_KEY", lambda old: EnvRead("django_heroku", "SECRET_KEY", site, default=old, fallback_via="default"), site
        )


# ---------------------------------------------------------------------- error reporting


@effect("sentry_sdk.init", "logging.basicConfig", "rollbar.init", "bugsnag.configure")
def _error_tracker(call: Call, args: Args, module: Effects) -> None:
    """A call that sends errors somewhere someone reads them: Sentry's or Rollbar's ``init``,
    Bugsnag's ``configure``, or ``logging.basicConfig`` (a stream handler on the root logger)."""
    module.events.append(("error-tracker", call.span))


# ---------------------------------------------------------------------- secrets


@recognizer(
    "*.get_random_secret_key", "*.token_urlsafe", "*.token_hex", "*.token_bytes", "*.get_random_string", "*.uuid4", "*.urandom"
)
def _generated(call: Call, args: Args) -> Value | None:
    """A freshly generated secret, not a literal: Django's ``get_random_secret_key`` and
    ``get_random_string``, ``secrets.token_urlsafe/token_hex/token_bytes``, ``uuid.uuid4``,
    ``os.urandom``, from whichever module."""
    return Unknown(call.span, "generated", call.qualname)


# ---------------------------------------------------------------------- paths


@recognizer("pathlib.Path", "pathlib.PosixPath", "pathlib.WindowsPath", "pathlib.Path.cwd", "pathlib.Path.home")
def _pathlib_path(call: Call, args: Args) -> Value | None:
    """A ``pathlib.Path`` (``Path``, ``PosixPath``, ``WindowsPath``, ``Path.cwd()``, ``Path.home()``):
    ``BASE_DIR / "x"`` needs one, so it is told apart from an os.path string."""
    return Unknown(call.span, "path", PATHLIB)


@recognizer("os.path.join", "os.path.abspath", "os.path.dirname", "os.path.realpath", "os.path.normpath", "Path")
def _os_path(call: Call, args: Args) -> Value | None:
    """A path built at run time: a ``str`` from ``os.path.join``, ``abspath``, ``dirname``,
    ``realpath`` or ``normpath``, or a ``Path`` of unknown origin."""
    return Unknown(call.span, "path", PATH_STRING if call.qualname.startswith("os.path.") else "")


# ---------------------------------------------------------------------- conversions


def _converted(args: Args) -> EnvRead | None:
    """The environment read a one-argument conversion is applied to, if it is one."""
    if len(args.positional) >= 1 and not args.keywords:
        inner = args.value(0)
        if isinstance(inner, EnvRead):
            return inner
    return None


@recognizer("bool")
def _bool(call: Call, args: Args) -> Value | None:
    """``bool(os.environ["X"])``: Python's ``bool()`` of a string, true for any non-empty one."""
    inner = _converted(args)
    return dataclasses.replace(inner, span=call.span, wrapper="bool()") if inner is not None else None


@recognizer("int", "float")
def _number(call: Call, args: Args) -> Value | None:
    """``int(...)`` or ``float(...)`` of an environment read: that cast."""
    inner = _converted(args)
    return dataclasses.replace(inner, span=call.span, cast=call.qualname) if inner is not None else None


@recognizer("str")
def _str(call: Call, args: Args) -> Value | None:
    """``str(...)`` of an environment read: the read itself."""
    inner = _converted(args)
    return dataclasses.replace(inner, span=call.span) if inner is not None else None


@recognizer("json.loads", "ast.literal_eval", "eval")
def _json(call: Call, args: Args) -> Value | None:
    """``json.loads``, ``ast.literal_eval`` or ``eval`` of an environment read: a JSON-like cast."""
    inner = _converted(args)
    return dataclasses.replace(inner, span=call.span, cast="json") if inner is not None else None


@recognizer(*(f"*.{name}" for name in BOOL_PARSERS), any_case=True)
def _bool_parser(call: Call, args: Args) -> Value | None:
    """A string-to-bool parser of an environment read (``strtobool``, ``str2bool``, ``str_to_bool``,
    ``to_bool``, ``as_bool``, ``parse_bool``, ``asbool``, ``is_true``, ``truthy``): a bool cast."""
    inner = _converted(args)
    return dataclasses.replace(inner, span=call.span, cast="bool") if inner is not None else None


@recognizer("list", "tuple")
def _sequence(call: Call, args: Args) -> Value | None:
    """``list([...])`` or ``tuple([...])`` of a list display: that list."""
    if len(args.positional) == 1:
        inner = args.value(0)
        if isinstance(inner, ListValue):
            return ListValue(inner.items, call.span, call.qualname)
    return None
