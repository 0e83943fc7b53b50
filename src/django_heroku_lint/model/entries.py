"""Which settings module an entry point (``wsgi.py``, ``asgi.py``, ``manage.py``) names,
evaluated with the environment a dyno has.

An entry point often chooses in code: ``if os.environ.get("DEBUG"): setdefault(dev)
else: setdefault(prod)``, or computes the name: ``"config.settings.{}".format(
os.environ.get("DJANGO_ENV"))``.  This module runs the statements that matter for
``DJANGO_SETTINGS_MODULE`` with what a dyno's environment holds (see :func:`dyno_env`):
a test it can decide takes its branch, one it cannot makes both branches alternatives.

It reads Python with the standard library's ``ast`` (the entry point is a few lines,
and a run that finds the settings model in its cache must not import LibCST); only a
handful of forms are evaluated, anything else is unknown.
"""

from __future__ import annotations

import ast
import dataclasses
import string
import warnings
from dataclasses import dataclass, field

from ..ftypes import Span
from ..read.lines import line_starts
from .values import EnvRead, Literal, Unknown

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

VAR = "DJANGO_SETTINGS_MODULE"
# What Heroku sets on every dyno.  DATABASE_URL is set when a database is attached,
# which the repository cannot show: it stays unknown, neither set nor unset.
HEROKU_ALWAYS = {"DYNO": "web.1", "PORT": "5000"}
HEROKU_MAYBE = frozenset({"DATABASE_URL"})
MAX_NAME = 200  # a computed module name longer than this is not a module name
# The variables Heroku, an add-on or the Python buildpack sets, and who sets them: never
# set by hand.  Dyno metadata: https://devcenter.heroku.com/articles/dyno-metadata (a
# labs feature); REDIS_TLS_URL: set beside REDIS_URL by the Redis 6 plans of Heroku
# Redis (now Key-Value Store); WEB_CONCURRENCY: the buildpack's vendor/WEB_CONCURRENCY.sh,
# run at dyno boot, keeps a value already set.
PLATFORM_VARS = {
    "PORT": "Heroku, on web dynos",
    "DYNO": "Heroku, on every dyno",
    "DATABASE_URL": "Heroku Postgres, when attached",
    "REDIS_URL": "Heroku Key-Value Store, when attached",
    "REDIS_TLS_URL": "Heroku Key-Value Store, when attached",
    "WEB_CONCURRENCY": "the Python buildpack, at dyno boot, from the dyno's size",
    **{
        name: "Heroku, with the runtime-dyno-metadata labs feature"
        for name in (
            "HEROKU_APP_ID", "HEROKU_APP_NAME", "HEROKU_APP_DEFAULT_DOMAIN_NAME", "HEROKU_DYNO_ID",
            "HEROKU_RELEASE_CREATED_AT", "HEROKU_RELEASE_VERSION", "HEROKU_SLUG_COMMIT", "HEROKU_SLUG_DESCRIPTION",
        )
    },
}


class _Unknown:
    def __repr__(self) -> str:
        return "<unknown>"


UNKNOWN = _Unknown()


def dyno_env(
    procfile_env: Mapping[str, str],
    app_json_env: Mapping[str, str],
    procfile: str = "Procfile",
    docs_env: Mapping[str, tuple[str, str]] | None = None,
) -> dict[str, tuple[str | None, str]]:
    """The environment of a web dyno as far as the repository tells, as name -> (value,
    where it comes from): what Heroku always sets, the config vars the docs set with
    ``heroku config:set`` (``docs_env``: name -> (value, file:line)), ``app.json``'s
    ``env`` (applied to apps created from it), then the variables the Procfile's web
    command sets.  A name absent from the result is unset; a name whose value is
    ``None`` may be set or not."""
    env: dict[str, tuple[str | None, str]] = {name: (None, "Heroku (when a database is attached)") for name in HEROKU_MAYBE}
    env.update({name: (value, f"heroku config:set at {where}") for name, (value, where) in (docs_env or {}).items()})
    env.update({name: (value, "Heroku (on every dyno)") for name, value in HEROKU_ALWAYS.items()})
    env.update({name: (value, "app.json's env") for name, value in app_json_env.items() if isinstance(value, str)})
    env.update({name: (value, f"the {procfile} web command") for name, value in procfile_env.items()})
    return env


@dataclass(frozen=True, slots=True)
class Default:
    """One module name an entry point may default DJANGO_SETTINGS_MODULE to: ``module``
    is empty when the name is computed in a way that cannot be evaluated.  ``span`` is
    the expression's; ``literal``, for a name written as one string literal, the name
    inside its quotes (where a fix rewrites it)."""

    module: str
    span: Span
    literal: Span | None = None


@dataclass(frozen=True, slots=True)
class EntryDefaults:
    """What an entry point defaults DJANGO_SETTINGS_MODULE to on a dyno.

    ``defaults`` are the alternatives, in the file's order (one when the file decides);
    ``decisions`` say which branch each decided test took and why; ``uncast_debug``
    names the environment variables read uncast (a string ``"False"`` is true) in a
    test that picks the module.
    """

    defaults: list[Default] = field(default_factory=list)
    decisions: list[str] = field(default_factory=list)
    uncast_debug: list[str] = field(default_factory=list)

    @property
    def modules(self) -> list[str]:
        return [each.module for each in self.defaults if each.module]

    @property
    def computed(self) -> Default | None:
        """The first default that cannot be evaluated, if any."""
        return next((each for each in self.defaults if not each.module), None)


def literal_defaults(text: str, rel: str) -> EntryDefaults | None:
    """The first literal default of a file Python refuses, read from its tokens up to
    where they break: ``setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")`` or
    ``os.environ["DJANGO_SETTINGS_MODULE"] = "mysite.settings"``, as it was written
    before the file broke.  ``None`` when there is none."""
    import io
    import tokenize

    shapes = (("setdefault", "(", VAR, ",", None), ("[", VAR, "]", "=", None))
    window: list[tokenize.TokenInfo] = []
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type in (tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT, tokenize.INDENT, tokenize.DEDENT):
                continue
            window = (window + [token])[-5:]
            for shape in shapes:
                found = _shaped(window[-len(shape) :], shape, rel) if len(window) >= len(shape) else None
                if found is not None:
                    return EntryDefaults([found])
    except (tokenize.TokenError, SyntaxError, ValueError):
        pass
    return None


def _shaped(tokens: list, shape: tuple[str | None, ...], rel: str) -> Default | None:
    """The default the tokens write when they have ``shape`` (``None``: the module's literal)."""
    for token, want in zip(tokens, shape, strict=True):
        if want is None:
            quote = token.string[:1]
            name = token.string[1:-1]
            if quote not in ("'", '"') or token.string[-1:] != quote or not _is_dotted(name):
                return None
            line, col = token.start
            return Default(name, Span(rel, line, col + 1, line, col + 1 + len(token.string)), Span(rel, line, col + 2, line, col + 2 + len(name)))
        if want == VAR:
            if token.string not in (f'"{VAR}"', f"'{VAR}'"):
                return None
        elif token.string != want:
            return None
    return None


def read_defaults(text: str, rel: str, environment: Mapping[str, tuple[str | None, str]]) -> EntryDefaults | None:
    """The settings-module defaults of entry point ``rel`` (source ``text``); ``None``
    when Python cannot parse it (it cannot run on Heroku either: other rules say so)."""
    try:
        with warnings.catch_warnings():  # `"\d"` in a string: Python warns, djhlint says nothing
            warnings.simplefilter("ignore")
            tree = ast.parse(text, rel)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    walker = _Walker(text, rel, environment)
    try:
        walker.block(tree.body)
    except RecursionError:
        return None
    return EntryDefaults(walker.found, walker.decisions, walker.uncast)


class _Source:
    """An entry point's text and where its nodes are, as spans."""

    def __init__(self, text: str, rel: str) -> None:
        self.text = text
        self.starts = line_starts(text, True)  # lines as Python numbers them: a form feed ends none
        self.rel = rel

    def span(self, node: ast.expr) -> Span:
        end_line = node.end_lineno or node.lineno
        end = node.end_col_offset if node.end_col_offset is not None else node.col_offset
        return Span(self.rel, node.lineno, self._col(node.lineno, node.col_offset) + 1, end_line, self._col(end_line, end) + 1)

    def _col(self, line: int, offset: int) -> int:  # ast counts UTF-8 bytes, a span characters
        return len(self.line(line).encode("utf-8")[:offset].decode("utf-8", "replace"))

    def line(self, number: int) -> str:
        """The text of line ``number`` as ``ast`` counts lines, its line break included."""
        if not 0 < number <= len(self.starts):
            return ""
        return self.text[self.starts[number - 1] : self.starts[number] if number < len(self.starts) else len(self.text)]


class _Walker(_Source):
    def __init__(self, text: str, rel: str, environment: Mapping[str, tuple[str | None, str]]) -> None:
        super().__init__(text, rel)
        self.env = {name: value for name, (value, _) in environment.items()}
        self.sources = {name: source for name, (_, source) in environment.items()}
        self.names: dict[str, object] = {}
        self.found: list[Default] = []
        self.decisions: list[str] = []
        self.uncast: list[str] = []
        self.reads: list[tuple[str, bool]] = []  # (variable, read uncast) of the test being evaluated

    def block(self, body: Sequence[ast.stmt]) -> None:
        for stmt in body:
            self.stmt(stmt)

    def stmt(self, stmt: ast.stmt) -> None:
        if isinstance(stmt, ast.If):
            self.branch(stmt)
        elif isinstance(stmt, ast.FunctionDef) and stmt.name == "main":  # manage.py's main()
            self.block(stmt.body)
        elif isinstance(stmt, ast.Try):
            self.block(stmt.body)
        elif isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
            self.call(stmt.value)
        elif isinstance(stmt, ast.Assign):
            for target in stmt.targets:
                if isinstance(target, ast.Subscript) and _is_environ(target.value) and self.value(target.slice) == VAR:
                    self.record(stmt.value)
                elif isinstance(target, ast.Name):
                    self.names[target.id] = self.value(stmt.value)

    def branch(self, stmt: ast.If) -> None:
        self.reads = []
        truth = self.truth(stmt.test)
        reads, self.reads = self.reads, []
        before = len(self.found)
        if truth is None:
            self.block(stmt.body)
            self.block(stmt.orelse)
            return
        self.block(stmt.body if truth else stmt.orelse)
        if len(self.found) == before and not self._names_module(stmt):
            return  # a test that does not pick the settings module is not a decision about it
        test = " ".join((ast.get_source_segment(self.text, stmt.test) or "the test").split())
        test = test if len(test) <= 60 else test[:57] + "..."
        taken = "if" if truth else "else"
        self.decisions.append(f"line {stmt.lineno}: `if {test}` takes the {taken} branch" + self.why(reads))
        self.uncast.extend(name for name, uncast in reads if uncast and name not in self.uncast)

    def why(self, reads: list[tuple[str, bool]]) -> str:
        said = []
        for name, _ in dict.fromkeys(reads):
            if name not in self.env:
                said.append(f"{name} is unset on a dyno")
            else:
                said.append(f"{name}={self.env[name]!r} from {self.sources[name]}")
        return f" ({'; '.join(said)})" if said else ""

    def _names_module(self, stmt: ast.If) -> bool:
        return any(
            isinstance(node, ast.Constant) and node.value == VAR for branch in (stmt.body, stmt.orelse) for part in branch for node in ast.walk(part)
        )

    def call(self, node: ast.Call) -> None:
        func = node.func
        if (
            isinstance(func, ast.Attribute)
            and func.attr == "setdefault"
            and _is_environ(func.value)
            and len(node.args) == 2
            and self.value(node.args[0]) == VAR
        ):
            self.record(node.args[1])

    def record(self, node: ast.expr) -> None:
        self.reads = []
        value = self.value(node)
        module = value if isinstance(value, str) and _is_dotted(value) else ""
        if module and self.reads:
            self.decisions.append(f"line {node.lineno}: the name evaluates to {module}" + self.why(self.reads))
        literal = self.inside_quotes(node, module) if module and isinstance(node, ast.Constant) else None
        self.found.append(Default(module, self.span(node), literal))

    def inside_quotes(self, node: ast.expr, module: str) -> Span | None:
        """Where ``module`` is written inside the quotes of the one-line literal ``node``."""
        if node.end_lineno != node.lineno or node.end_col_offset is None:
            return None
        written = self.line(node.lineno).encode("utf-8")[node.col_offset : node.end_col_offset].decode("utf-8", "replace")
        quote = written.lstrip("rRuU")[:1]
        if quote not in ("'", '"') or written.lstrip("rRuU")[1:-1] != module:
            return None
        start = self._col(node.lineno, node.col_offset) + 1 + len(written) - len(written.lstrip("rRuU")) + 1
        return Span(self.rel, node.lineno, start, node.lineno, start + len(module))

    # ------------------------------------------------------------------ values

    def truth(self, node: ast.expr) -> bool | None:
        value = self.value(node)
        if value is UNKNOWN:
            return None
        return bool(value)

    def value(self, node: ast.expr) -> object:
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, ast.Name):
            return self.names.get(node.id, UNKNOWN)
        if isinstance(node, ast.Call):
            return self.call_value(node)
        if isinstance(node, ast.Subscript) and _is_environ(node.value):
            name = self.value(node.slice)
            if isinstance(name, str):
                self.reads.append((name, True))
                found = self.env.get(name)  # unset: a KeyError, not a value
                return UNKNOWN if found is None else found
            return UNKNOWN
        if isinstance(node, ast.Compare) and len(node.ops) == 1:
            left, right = self.value(node.left), node.comparators[0]
            op = node.ops[0]
            if isinstance(op, (ast.In, ast.NotIn)) and _is_environ(right) and isinstance(left, str):
                self.reads.append((left, False))
                if self.env.get(left, "") is None:
                    return UNKNOWN
                return (left in self.env) == isinstance(op, ast.In)
            other = self.value(right)
            if left is UNKNOWN or other is UNKNOWN or not isinstance(op, (ast.Eq, ast.NotEq)):
                return UNKNOWN
            if not all(isinstance(each, (str, int, bool, type(None))) for each in (left, other)):
                return UNKNOWN
            return (left == other) == isinstance(op, ast.Eq)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            inner = self.value(node.operand)
            return UNKNOWN if inner is UNKNOWN else not inner
        if isinstance(node, ast.BoolOp):
            result: object = UNKNOWN
            for each in node.values:
                result = self.value(each)
                if result is UNKNOWN:
                    return UNKNOWN
                if bool(result) == isinstance(node.op, ast.Or):
                    return result
            return result
        if isinstance(node, ast.JoinedStr):
            parts = []
            for part in node.values:
                if isinstance(part, ast.FormattedValue):
                    if part.format_spec is not None or part.conversion not in (-1, ord("s")):
                        return UNKNOWN
                    part_value = self.value(part.value)
                else:
                    part_value = self.value(part)
                if not isinstance(part_value, str):  # an unset variable in a name: a config var djhlint cannot see
                    return UNKNOWN
                parts.append(part_value)
            return _bounded("".join(parts))
        if isinstance(node, ast.BinOp):
            head = self.value(node.left)
            if isinstance(node.op, ast.Add) and isinstance(head, str):
                tail = self.value(node.right)
                return _bounded(head + tail) if isinstance(tail, str) else UNKNOWN
            if isinstance(node.op, ast.Mod) and isinstance(head, str):
                args = node.right.elts if isinstance(node.right, ast.Tuple) else [node.right]
                return _percent(head, [self.value(each) for each in args])
        return UNKNOWN

    def call_value(self, node: ast.Call) -> object:
        func = node.func
        if node.keywords and not (isinstance(func, ast.Attribute) and func.attr == "format"):
            return UNKNOWN
        if _is_env_get(func):
            if not node.args or len(node.args) > 2:
                return UNKNOWN
            name = self.value(node.args[0])
            if not isinstance(name, str):
                return UNKNOWN
            self.reads.append((name, True))
            if name in self.env:
                found = self.env[name]
                return UNKNOWN if found is None else found
            return self.value(node.args[1]) if len(node.args) == 2 else None
        if _is_setdefault(func) and len(node.args) == 2:  # the variable's value, or the default it then holds
            name = self.value(node.args[0])
            if not isinstance(name, str) or name == VAR:
                return UNKNOWN
            self.reads.append((name, True))
            if name in self.env:
                found = self.env[name]
                return UNKNOWN if found is None else found
            default = self.value(node.args[1])
            if isinstance(default, str):
                self.env[name], self.sources[name] = default, f"the setdefault at {self.rel}:{node.lineno}"
            return default
        if isinstance(func, ast.Attribute) and func.attr == "format":
            template = self.value(func.value)
            if not isinstance(template, str):
                return UNKNOWN
            args = [self.value(each) for each in node.args]
            kwargs = {each.arg: self.value(each.value) for each in node.keywords if each.arg}
            return _format(template, args, kwargs) if len(kwargs) == len(node.keywords) else UNKNOWN
        return UNKNOWN


def _is_environ(node: ast.expr) -> bool:
    """``os.environ`` or ``environ`` (``from os import environ``)."""
    if isinstance(node, ast.Attribute):
        return node.attr == "environ" and isinstance(node.value, ast.Name) and node.value.id == "os"
    return isinstance(node, ast.Name) and node.id == "environ"


def _is_env_get(node: ast.expr) -> bool:
    """``os.environ.get``, ``environ.get``, ``os.getenv`` or ``getenv``."""
    if isinstance(node, ast.Attribute):
        if node.attr == "get" and _is_environ(node.value):
            return True
        return node.attr == "getenv" and isinstance(node.value, ast.Name) and node.value.id == "os"
    return isinstance(node, ast.Name) and node.id == "getenv"


def _is_dotted(value: str) -> bool:
    return 0 < len(value) <= MAX_NAME and all(part.isidentifier() for part in value.split("."))


def _bounded(value: str) -> object:
    return value if len(value) <= MAX_NAME else UNKNOWN


def _plain(value: object) -> str | None:
    """A string put into a module name; ``None`` (an unset variable: a config var the
    repository cannot show) is not evaluated."""
    return value if isinstance(value, str) else None


def _format(template: str, args: list[object], kwargs: dict[str, object]) -> object:
    """``template.format(*args, **kwargs)`` for plain fields only (``{}``, ``{0}``,
    ``{name}``): no attribute, index, conversion or format spec is evaluated."""
    out, auto = [], 0
    try:
        fields = list(string.Formatter().parse(template))
    except ValueError:
        return UNKNOWN
    for literal, name, spec, conversion in fields:
        out.append(literal)
        if name is None:
            continue
        if spec or conversion:
            return UNKNOWN
        if name == "":
            name, auto = str(auto), auto + 1
        if name.isdigit():
            index = int(name)
            text = _plain(args[index]) if index < len(args) else None
        else:
            text = _plain(kwargs[name]) if name.isidentifier() and name in kwargs else None
        if text is None:
            return UNKNOWN
        out.append(text)
    return _bounded("".join(out))


def _percent(template: str, values: list[object]) -> object:
    """``template % values`` for ``%s`` fields only."""
    pieces = template.split("%s")
    if "%" in template.replace("%s", "") or len(pieces) != len(values) + 1:
        return UNKNOWN
    texts = [_plain(each) for each in values]
    if any(text is None for text in texts):
        return UNKNOWN
    out = pieces[0]
    for text, piece in zip(texts, pieces[1:], strict=True):
        out += f"{text}{piece}"
    return _bounded(out)


# --------------------------------------------------------------------------- the environment an entry point reads


@dataclass(frozen=True, slots=True)
class EntryEnvRead:
    """An environment read in an entry point (``wsgi.py``, ``asgi.py``, ``manage.py``):
    ``feeds`` is what its value decides (``DJANGO_SETTINGS_MODULE``, or a test of the
    file); ``conditional`` is true when it runs only on some paths (under ``if`` or in an
    ``except``)."""

    read: EnvRead
    feeds: str
    conditional: bool = False
    condition: str = ""  # when a conditional read runs: "when `os.environ.get('DEBUG')` is true"


def entry_env_reads(text: str, rel: str) -> list[EntryEnvRead]:
    """The ``os.environ``/``os.getenv`` reads of entry point ``rel`` that run when it is
    imported or run as a script (module level, ``main()``, ``if __name__ == "__main__":``),
    and what each feeds; nothing when Python cannot parse it."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(text, rel)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return []
    reader = _EnvReader(text, rel)
    try:
        reader.block(tree.body, None)
    except RecursionError:
        return []
    return reader.found


class _EnvReader(_Source):
    def __init__(self, text: str, rel: str) -> None:
        super().__init__(text, rel)
        self.found: list[EntryEnvRead] = []
        self.by_name: dict[str, list[int]] = {}  # a local name -> the reads (indexes in found) its value holds

    # ``condition``: None when the code runs on every path, else when it runs (the innermost reason).

    def block(self, body: Sequence[ast.stmt], condition: str | None) -> None:
        for stmt in body:
            if isinstance(stmt, ast.If):
                main = _is_main_test(stmt.test)
                sets = any(isinstance(node, ast.Constant) and node.value == VAR for node in ast.walk(stmt))
                self.expr(stmt.test, "the settings module chosen" if sets else f"the test at {self.rel}:{stmt.lineno}", condition)
                test = self.source(stmt.test)
                self.block(stmt.body, condition if main else f"when `{test}` is true")
                self.block(stmt.orelse, f"when `{test}` is false")
            elif isinstance(stmt, ast.FunctionDef) and stmt.name == "main":  # manage.py's main()
                self.block(stmt.body, condition)
            elif isinstance(stmt, ast.Try):
                self.block(stmt.body, condition)
                for handler in stmt.handlers:
                    self.block(handler.body, "when its try block raises")
                self.block(stmt.orelse, "when its try block does not raise")
                self.block(stmt.finalbody, condition)
            elif isinstance(stmt, ast.With):
                self.block(stmt.body, condition)
            elif isinstance(stmt, ast.Assign):
                target = stmt.targets[0] if len(stmt.targets) == 1 else None
                if isinstance(target, ast.Subscript) and _is_environ(target.value) and _text(target.slice) == VAR:
                    self.expr(stmt.value, VAR, condition)
                elif isinstance(target, ast.Name):
                    first = len(self.found)
                    self.expr(stmt.value, f"`{target.id}` in {self.rel}", condition)
                    self.by_name[target.id] = list(range(first, len(self.found)))
                else:
                    self.expr(stmt.value, f"code of {self.rel}", condition)
            elif isinstance(stmt, (ast.Expr, ast.Return, ast.AnnAssign, ast.AugAssign)) and stmt.value is not None:
                self.expr(stmt.value, f"code of {self.rel}", condition)

    def expr(self, node: ast.expr, feeds: str, condition: str | None) -> None:
        if isinstance(node, ast.Call) and _is_setdefault(node.func) and len(node.args) == 2 and _text(node.args[0]) == VAR:
            fallback = node.args[1]
            read = EnvRead("os.environ.setdefault", VAR, self.span(node), default=self.value(fallback), fallback_via="default")
            self.add(read, "the settings module Django loads", condition)
            self.expr(fallback, VAR, condition)
            for name in (each.id for each in ast.walk(fallback) if isinstance(each, ast.Name)):
                for index in self.by_name.get(name, []):
                    self.found[index] = dataclasses.replace(self.found[index], feeds=VAR)
            return
        if isinstance(node, ast.Call) and _is_env_get(node.func) and node.args and not node.keywords:
            var = _text(node.args[0])
            api = "os.environ.get" if isinstance(node.func, ast.Attribute) and node.func.attr == "get" else "os.getenv"
            default = self.value(node.args[1]) if len(node.args) > 1 else None
            if var is not None:
                self.add(EnvRead(api, var, self.span(node), default=default, fallback_via="default" if default is not None else None), feeds, condition)
        elif isinstance(node, ast.Subscript) and _is_environ(node.value) and isinstance(node.ctx, ast.Load):
            var = _text(node.slice)
            if var is not None:
                self.add(EnvRead("os.environ[]", var, self.span(node)), feeds, condition)
        elif isinstance(node, ast.BoolOp):  # `a or b`: b runs only when a is false (`and`: true)
            word = "empty" if isinstance(node.op, ast.Or) else "set"
            self.expr(node.values[0], feeds, condition)
            for part in node.values[1:]:
                self.expr(part, feeds, f"when what comes before its `{'or' if word == 'empty' else 'and'}` is {word}")
            return
        elif isinstance(node, ast.IfExp):
            test = self.source(node.test)
            self.expr(node.test, feeds, condition)
            self.expr(node.body, feeds, f"when `{test}` is true")
            self.expr(node.orelse, feeds, f"when `{test}` is false")
            return
        elif isinstance(node, (ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
            return  # runs later, or once per item: not a read at import djhlint can place
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.expr):
                self.expr(child, feeds, condition)

    def add(self, read: EnvRead, feeds: str, condition: str | None) -> None:
        self.found.append(EntryEnvRead(read, feeds, condition is not None, condition or ""))

    def source(self, node: ast.expr) -> str:
        """The source of ``node`` on one line, cut at 60 characters."""
        text = " ".join((ast.get_source_segment(self.text, node) or "").split())
        return text if len(text) <= 60 else text[:57] + "..."

    def value(self, node: ast.expr) -> Literal | Unknown:
        if isinstance(node, ast.Constant) and isinstance(node.value, (str, int, float, bool, type(None))):
            return Literal(node.value, self.span(node))
        return Unknown(self.span(node), "str" if isinstance(node, ast.JoinedStr) else "", self.source(node))


def _text(node: ast.expr) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _is_setdefault(node: ast.expr) -> bool:
    return isinstance(node, ast.Attribute) and node.attr == "setdefault" and _is_environ(node.value)


def _is_main_test(node: ast.expr) -> bool:
    """``__name__ == "__main__"``: always true when the file runs as a script."""
    return (
        isinstance(node, ast.Compare)
        and isinstance(node.left, ast.Name)
        and node.left.id == "__name__"
        and len(node.comparators) == 1
        and _text(node.comparators[0]) == "__main__"
    )
