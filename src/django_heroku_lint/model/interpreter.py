"""The static settings model: what the deployed settings module sets, without running it.

A small abstract interpreter walks each module's statements in execution order.  It
keeps, for every module-level name, the alternatives it may hold (``Binding``): one
value for straight-line code, several when assignments sit under ``if``/``else``/
``try``.  Values are plain data (``values.Value``): literals, environment reads with
their variable, fallback and cast, or unknown.  Star imports of the project's own
modules are followed in order, so later assignments override earlier ones.
"""

from __future__ import annotations

import dataclasses
import gc
from collections.abc import Callable, Iterable, Sequence
from contextlib import contextmanager
from itertools import islice
from typing import Protocol

import libcst as cst

from ..ftypes import ParseError, Span
from .spans import SpanMaker
from .values import PATHLIB, Binding, DictValue, EnvRead, ImportRef, ListValue, Literal, ModuleRef, SettingsModel, Unknown, Value, is_pathlib
from ..read.python import PythonFile

MAX_ALTERNATIVES = 16

# Calls whose result is a freshly generated secret, not a literal.
GENERATED = ("get_random_secret_key", "token_urlsafe", "token_hex", "token_bytes", "get_random_string", "uuid4", "urandom")
# Functions that turn an environment string into a real bool.
BOOL_PARSERS = ("strtobool", "str2bool", "str_to_bool", "to_bool", "as_bool", "parse_bool", "asbool", "is_true", "truthy")
STRING_METHODS = ("lower", "upper", "strip", "lstrip", "rstrip", "casefold", "title", "replace")
PATH_CALLS = ("os.path.join", "os.path.abspath", "os.path.dirname", "pathlib.Path", "Path")
# A pathlib.Path (values.PATHLIB) is told apart from an os.path string: ``BASE_DIR / "x"`` needs one.
PATHLIB_CALLS = ("pathlib.Path", "pathlib.PosixPath", "pathlib.WindowsPath", "pathlib.Path.cwd", "pathlib.Path.home")
PATHLIB_METHODS = ("resolve", "absolute", "expanduser", "joinpath", "with_name", "with_stem", "with_suffix", "relative_to")
DJANGO_ENVIRON_DEFAULT_POSITION = {  # methods of environ.Env whose second positional argument is the default
    "str": "str", "bool": "bool", "int": "int", "float": "float", "json": "json", "url": "str", "path": "str",
    "db": "db", "db_url": "db", "cache": "cache", "cache_url": "cache", "email": "email", "email_url": "email",
    "search_url": "search",
}
DJANGO_ENVIRON_CAST_POSITION = {"list": "list", "tuple": "list", "dict": "dict"}  # second positional is the cast
DB_ENGINES = {
    "sqlite": "django.db.backends.sqlite3", "spatialite": "django.contrib.gis.db.backends.spatialite",
    "postgres": "django.db.backends.postgresql", "postgresql": "django.db.backends.postgresql",
    "pgsql": "django.db.backends.postgresql", "postgis": "django.contrib.gis.db.backends.postgis",
    "mysql": "django.db.backends.mysql", "mysql2": "django.db.backends.mysql", "oracle": "django.db.backends.oracle",
}

WHITENOISE = "whitenoise.middleware.WhiteNoiseMiddleware"


class ModuleLoader(Protocol):
    """Resolves dotted module names to project files and hands out their parse results.

    Provided by the engine; it owns every read from disk (through discovery), so the
    model never opens a file.
    """

    def resolve(self, name: str) -> str | None:  # pragma: no cover - interface
        raise NotImplementedError

    def load(self, path: str) -> PythonFile | ParseError:  # pragma: no cover - interface
        raise NotImplementedError

    def is_package(self, path: str) -> bool:
        return path.endswith("__init__.py")


@dataclasses.dataclass
class ModuleResult:
    """What running one module of the chain left: its settings and what it imported."""

    env: dict[str, Binding]
    chain: list[ModuleRef]
    complete: bool
    imports: list[ImportRef] = dataclasses.field(default_factory=list)
    django_heroku_calls: list[Span] = dataclasses.field(default_factory=list)


class SettingsInterpreter:
    """Builds a :class:`SettingsModel` for one settings module and what it star-imports."""

    def __init__(self, loader: ModuleLoader) -> None:
        self.loader = loader
        self.cache: dict[str, ModuleResult] = {}
        self.stack: list[str] = []
        self.errors: list[ParseError] = []
        self.paused: list[bool] = []  # for each module being run: whether it paused the garbage collector

    def build(self, module: str, path: str, reason: str) -> SettingsModel | None:
        result = self.run_module(module, path)
        if result is None:
            return None
        settings = {name: binding for name, binding in result.env.items() if name.isupper()}
        return SettingsModel(
            module=module,
            path=path,
            reason=reason,
            chain=result.chain,
            settings=settings,
            complete=result.complete,
            imports=result.imports,
            django_heroku_calls=result.django_heroku_calls,
        )

    def run_module(self, module: str, path: str) -> ModuleResult | None:
        if module in self.cache:
            return self.cache[module]
        if module in self.stack:  # an import cycle: Python would see a half-built module
            return ModuleResult(env={}, chain=[], complete=True)
        with _collecting(self.paused):  # a module imported from the one being run is parsed as usual
            parsed = self.loader.load(path)
        if isinstance(parsed, ParseError):
            self.errors.append(parsed)
            return None
        self.stack.append(module)
        paused = _pause_collection()
        self.paused.append(paused)
        try:
            runner = ModuleRunner(self, module, path, parsed)
            runner.run()
            place = runner.spans.placer(parsed.module, parsed.text)  # the spans, now that the module has run
            result = ModuleResult(
                env={name: place.binding(binding) for name, binding in runner.env.items()},
                chain=[place.module_ref(ref) for ref in runner.chain] + [ModuleRef(module, path)],
                complete=runner.complete,
                imports=[place.import_ref(ref) for ref in runner.imports],
                django_heroku_calls=[place.span(call) for call in runner.django_heroku_calls],
            )
        except RecursionError:  # a long ``a or b or ...`` (LibCST nests it) or star imports chained hundreds deep
            reason = "the module nests too deeply to interpret (a very long expression, or star imports chained too deep)"
            self.errors.append(ParseError(Span(path), reason))
            return None
        finally:
            self.stack.pop()
            self.paused.pop()
            if paused:
                _resume_collection()
        self.cache[module] = result
        return result


def _pause_collection() -> bool:
    """Pause Python's cyclic garbage collector while a module is interpreted.

    Running a module allocates thousands of small objects, which triggers a full
    collection: a walk over every object alive, the module's whole syntax tree
    included (80,000-odd nodes for 5,000 lines), which costs more than the
    interpretation itself.  The tree and the values hold no reference cycles worth
    collecting before the model is built.  Returns whether it paused the collector.
    """
    if not gc.isenabled():
        return False
    gc.disable()
    return True


def _resume_collection() -> None:
    """Let the collector run again, the objects the module's run made counted as old.

    They are the model, alive until the end of the run; left young, the first
    allocation would have the collector walk all of them, to free nothing.  Freezing
    then unfreezing moves every tracked object to the oldest generation without
    walking any (unless something else froze objects, which unfreezing would release).
    """
    if gc.get_freeze_count() == 0:
        gc.freeze()
        gc.unfreeze()
    gc.enable()


@contextmanager
def _collecting(paused: list[bool]):
    """Let the collector run again (a parse) when a module being run paused it."""
    if not any(paused):
        yield
        return
    gc.enable()
    try:
        yield
    finally:
        gc.disable()


def _dedupe(values: Iterable[Value]) -> tuple[Value, ...]:
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
        values = _dedupe(v for b in present for v in b.values)
        # By identity: spans get their positions only after the module has run, so
        # until then every span of a file compares equal to every other.
        sites = tuple({id(s): s for b in present for s in b.sites}.values())
        maybe_unset = len(present) < len(bindings) or any(b.maybe_unset for b in present)
        if len(values) > MAX_ALTERNATIVES:
            values = (Unknown(values[-1].span, "too-many-alternatives"),)
        merged[name] = Binding(values=values, sites=sites, maybe_unset=maybe_unset)
    return merged  # type: ignore[return-value]


class ModuleRunner:
    """Interprets one module's statements."""

    def __init__(self, owner: SettingsInterpreter, module: str, path: str, parsed: PythonFile) -> None:
        self.owner = owner
        self.module = module
        self.path = path
        self.parsed = parsed
        self.spans = SpanMaker(path)
        self.env: dict[str, Binding] = {}
        self.aliases: dict[str, str] = {}  # local name -> qualified name
        self.environ_schemes: dict[str, dict[str, tuple[str, Value | None]]] = {}  # env object -> scheme
        self.chain: list[ModuleRef] = []
        self.complete = True
        self.imports: list[ImportRef] = []  # third-party imports, in execution order
        self.django_heroku_calls: list[Span] = []
        self.guard = 0  # > 0 inside try, an undecided if, a loop or match: the code may not run
        # Since the innermost fork (alternative branches about to run): the names bound,
        # and whether a name was deleted (which reorders the names: see merge_envs).
        self.touched: set[str] = set()
        self.deleted = False
        self.key_indexes: dict[int, tuple[DictValue, dict[object, int]]] = {}  # see key_index
        self.package = module if owner.loader.is_package(path) else module.rpartition(".")[0]

    # ------------------------------------------------------------------ statements

    def run(self) -> None:
        self.exec_block(self.parsed.module.body)

    def exec_block(self, body: Sequence[cst.CSTNode]) -> None:
        for stmt in body:
            self.exec_stmt(stmt)

    def exec_stmt(self, stmt: cst.CSTNode) -> None:
        if isinstance(stmt, cst.SimpleStatementLine):
            for small in stmt.body:
                self.exec_small(small)
        elif isinstance(stmt, cst.If):
            self.exec_if(stmt)
        elif isinstance(stmt, cst.Try) or isinstance(stmt, getattr(cst, "TryStar", ())):
            self.guard += 1
            try:
                self.exec_try(stmt.body.body, stmt.handlers, stmt.orelse, stmt.finalbody)  # type: ignore[attr-defined]
            finally:
                self.guard -= 1
        elif isinstance(stmt, (cst.For, cst.While)):
            before, outer = self.fork()
            self.guard += 1
            try:
                self.exec_block(stmt.body.body)
                if stmt.orelse is not None:
                    self.exec_block(stmt.orelse.body.body)
            finally:
                self.guard -= 1
            self.join(before, [before, self.env], outer)
        elif isinstance(stmt, cst.With):
            self.exec_block(stmt.body.body)
        elif isinstance(stmt, (cst.FunctionDef, cst.ClassDef)):
            self.bind(stmt.name.value, (Unknown(self.spans(stmt.name), "definition"),), self.spans(stmt.name))
        elif isinstance(stmt, cst.Match):
            before, outer = self.fork()
            branches = []
            for case in stmt.cases:
                self.env = dict(before)
                self.guard += 1
                try:
                    self.exec_block(case.body.body)
                finally:
                    self.guard -= 1
                branches.append(self.env)
            branches.append(before)
            self.join(before, branches, outer)

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

    def exec_if(self, stmt: cst.If) -> None:
        test = self.truth(stmt.test)
        if test is True:
            self.exec_block(stmt.body.body)
            return
        if test is False:
            self.exec_else(stmt.orelse)
            return
        before, outer = self.fork()
        self.guard += 1
        try:
            self.exec_block(stmt.body.body)
            taken = self.env
            self.env = dict(before)
            self.exec_else(stmt.orelse)
        finally:
            self.guard -= 1
        self.join(before, [taken, self.env], outer)

    def exec_else(self, orelse: cst.If | cst.Else | None) -> None:
        if isinstance(orelse, cst.If):
            self.exec_if(orelse)
        elif isinstance(orelse, cst.Else):
            self.exec_block(orelse.body.body)

    def exec_try(self, body, handlers, orelse, finalbody) -> None:
        before, outer = self.fork()
        self.exec_block(body)
        if orelse is not None:
            self.exec_block(orelse.body.body)
        branches = None
        if handlers and not self.cannot_raise(body):
            branches = [self.env]
            for handler in handlers:
                self.env = dict(before)
                self.exec_block(handler.body.body)
                branches.append(self.env)
        self.join(before, branches, outer)
        if finalbody is not None:
            self.exec_block(finalbody.body.body)

    def cannot_raise(self, body: Sequence[cst.CSTNode]) -> bool:
        """A try body made only of imports of present project modules succeeds."""
        for stmt in body:
            if not isinstance(stmt, cst.SimpleStatementLine):
                return False
            for small in stmt.body:
                if not isinstance(small, cst.ImportFrom) or self.project_module(small) is None:
                    return False
        return True

    def truth(self, test: cst.BaseExpression) -> bool | None:
        """The certain truth of an ``if`` test, when it is a known literal."""
        if isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
            inner = self.truth(test.expression)
            return None if inner is None else not inner
        value = self.eval_certain(test)
        if isinstance(value, Literal):
            return bool(value.value)
        return None

    def exec_small(self, small: cst.BaseSmallStatement) -> None:
        if isinstance(small, cst.Assign):
            values = self.eval_alts(small.value)
            for target in small.targets:
                self.assign(target.target, values, small.value)
        elif isinstance(small, cst.AnnAssign) and small.value is not None:
            self.assign(small.target, self.eval_alts(small.value), small.value)
        elif isinstance(small, cst.AugAssign):
            self.exec_augassign(small)
        elif isinstance(small, cst.Expr) and isinstance(small.value, cst.Call):
            self.exec_call_statement(small.value)
        elif isinstance(small, cst.Import):
            for alias in small.names:
                dotted = dotted_name(alias.name)
                if dotted is None:
                    continue
                self.note_import(dotted, small)
                if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                    self.aliases[alias.asname.name.value] = dotted
                else:
                    top = dotted.split(".")[0]
                    self.aliases[top] = top
        elif isinstance(small, cst.ImportFrom):
            self.exec_import_from(small)
        elif isinstance(small, cst.Del):
            for element in _targets(small.target):
                if isinstance(element, cst.Name):
                    self.env.pop(element.value, None)
                    self.deleted = True

    def assign(self, target: cst.BaseExpression, values: tuple[Value, ...], value_node: cst.BaseExpression) -> None:
        if isinstance(target, cst.Name):
            self.bind(target.value, values, self.spans(target))
            self.note_environ_scheme(target.value, value_node)
            self.note_decouple_config(target.value, value_node)
        elif isinstance(target, (cst.Tuple, cst.List)):
            elements = [e.value for e in target.elements]
            if isinstance(value_node, (cst.Tuple, cst.List)) and len(value_node.elements) == len(elements):
                for element, item in zip(elements, value_node.elements, strict=True):
                    self.assign(element, self.eval_alts(item.value), item.value)
            else:
                for element in elements:
                    if isinstance(element, cst.Name):
                        self.bind(element.value, (Unknown(self.spans(element), "unpacked"),), self.spans(element))
        elif isinstance(target, cst.Subscript):
            path = _subscript_path(target)
            if path is None:
                return
            name, keys = path
            new = values[0] if len(values) == 1 else Unknown(self.spans(value_node), "alternatives")
            self.update_path(name, keys, lambda _old: new, self.spans(target))

    def bind(self, name: str, values: tuple[Value, ...], site: Span) -> None:
        self.env[name] = Binding(values=values, sites=(site,), maybe_unset=False)
        self.touched.add(name)

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

        Kept for the dicts this runner built, and handed on to the dict an update
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

    def exec_augassign(self, node: cst.AugAssign) -> None:
        site = self.spans(node.target)
        right = self.eval(node.value)
        if isinstance(node.target, cst.Name) and isinstance(node.operator, cst.AddAssign):
            self.change(node.target.value, lambda left: _concat(left, right, site), site)
        elif isinstance(node.target, cst.Name):
            self.change(node.target.value, lambda left: Unknown(site, "changed"), site)
        elif isinstance(node.target, cst.Subscript):
            path = _subscript_path(node.target)
            if path is not None:
                op = node.operator
                fn = (lambda left: _concat(left, right, site)) if isinstance(op, cst.AddAssign) else (lambda left: Unknown(site, "changed"))
                self.update_path(path[0], path[1], fn, site)

    def exec_call_statement(self, call: cst.Call) -> None:
        qual = self.qualname(call.func)
        if qual == "django_heroku.settings":
            self.django_heroku_settings(call)
            return
        if not isinstance(call.func, cst.Attribute):
            return
        method = call.func.attr.value
        receiver = call.func.value
        keys: list[str | None]
        if isinstance(receiver, cst.Name):
            name, keys = receiver.value, []
        else:
            path = _subscript_path(receiver) if isinstance(receiver, cst.Subscript) else None
            if path is None:
                return
            name, keys = path
        if name not in self.env or name in self.aliases:
            return
        site = self.spans(call)
        args = [a for a in call.args]
        arg_values = [self.eval(a.value) for a in args]

        def op(value: Value) -> Value:
            if method in ("append", "extend", "insert", "remove"):
                if not isinstance(value, ListValue):
                    return Unknown(site, "changed")
                items = list(value.items)
                if method == "append" and len(arg_values) == 1:
                    items.append(arg_values[0])
                elif method == "extend" and len(arg_values) == 1 and isinstance(arg_values[0], ListValue):
                    items.extend(arg_values[0].items)
                elif method == "insert" and len(arg_values) == 2 and isinstance(arg_values[0], Literal) and isinstance(arg_values[0].value, int):
                    items.insert(arg_values[0].value, arg_values[1])
                elif method == "remove" and len(arg_values) == 1 and isinstance(arg_values[0], Literal):
                    for index, item in enumerate(items):
                        if isinstance(item, Literal) and item.value == arg_values[0].value:
                            del items[index]
                            break
                else:
                    return Unknown(site, "changed")
                return ListValue(tuple(items), value.span, value.kind)
            if method == "update":
                return _dict_update(value, arg_values, args, site)
            if method in ("get", "copy", "index", "count", "keys", "values", "items"):
                return value
            return Unknown(site, "changed")

        if keys:
            self.update_path(name, keys, op, site)
        else:
            self.change(name, op, site)

    def django_heroku_settings(self, call: cst.Call) -> None:
        """What ``django_heroku.settings(locals())`` does to the module's settings (django-heroku 0.3.1)."""
        site = self.spans(call)
        self.django_heroku_calls.append(site)
        options = {a.keyword.value: self.eval(a.value) for a in call.args if a.keyword is not None}

        def enabled(name: str) -> bool:
            value = options.get(name)
            return not (isinstance(value, Literal) and value.value is False)

        if enabled("allowed_hosts"):
            self.bind("ALLOWED_HOSTS", (ListValue((Literal("*", site),), site),), site)
        if enabled("staticfiles"):
            wn = Literal(WHITENOISE, site)

            def prepend(value: Value) -> Value:
                if isinstance(value, ListValue):
                    return ListValue((wn,) + value.items, site, "tuple")
                return Unknown(site, "changed")

            self.change("MIDDLEWARE", prepend, site)
            self.bind("STATIC_ROOT", (Unknown(site, "path"),), site)
            self.bind("STATIC_URL", (Literal("/static/", site),), site)
            self.bind(
                "STATICFILES_STORAGE",
                (Literal("whitenoise.storage.CompressedManifestStaticFilesStorage", site),),
                site,
            )
        if enabled("databases"):
            self.update_path(
                "DATABASES",
                ["default"],
                lambda old: EnvRead("django_heroku", "DATABASE_URL", site, default=old, cast="db"),
                site,
            )
        if enabled("secret_key") and "SECRET_KEY" in self.env:
            self.change(
                "SECRET_KEY",
                lambda old: EnvRead("django_heroku", "SECRET_KEY", site, default=old, fallback_via="default"),
                site,
            )

    # ------------------------------------------------------------------ imports

    def project_module(self, node: cst.ImportFrom) -> tuple[str, str] | None:
        """The project module an ``from X import ...`` names, as (name, path), if present."""
        name = self.absolute_module(node)
        if name is None:
            return None
        path = self.owner.loader.resolve(name)
        return (name, path) if path is not None else None

    def absolute_module(self, node: cst.ImportFrom) -> str | None:
        dots = len(node.relative)
        dotted = dotted_name(node.module) if node.module is not None else ""
        if dotted is None:
            return None
        if dots == 0:
            return dotted
        parts = self.package.split(".") if self.package else []
        if dots - 1 > len(parts):
            return None
        base = parts[: len(parts) - (dots - 1)]
        return ".".join(base + ([dotted] if dotted else []))

    def exec_import_from(self, node: cst.ImportFrom) -> None:
        source = self.absolute_module(node)
        if source is None:
            return
        found = self.project_module(node)
        if found is None and not node.relative:
            self.note_import(source, node)
        if found is None:
            if isinstance(node.names, cst.ImportStar):
                return
            for alias in node.names:
                dotted = dotted_name(alias.name)
                if dotted is None:
                    continue
                local = alias.asname.name.value if alias.asname and isinstance(alias.asname.name, cst.Name) else dotted
                self.aliases[local] = f"{source}.{dotted}" if source else dotted
            return
        name, path = found
        result = self.owner.run_module(name, path)
        if result is None:
            self.complete = False
            return
        self.complete = self.complete and result.complete
        for ref_import in result.imports:
            if all(ref_import.span is not seen.span for seen in self.imports):
                self.imports.append(dataclasses.replace(ref_import, guarded=ref_import.guarded or self.guard > 0))
        for call in result.django_heroku_calls:
            if call not in self.django_heroku_calls:
                self.django_heroku_calls.append(call)
        for ref in result.chain:
            if ref.name == name and ref.imported_by is None:
                ref = dataclasses.replace(ref, imported_by=self.module, statement=_import_text(node), site=self.spans(node))
            if all(ref.name != seen.name for seen in self.chain):
                self.chain.append(ref)
        if isinstance(node.names, cst.ImportStar):
            exported = result.env.get("__all__")
            names: Iterable[str]
            if exported is not None and exported.certain is not None and isinstance(exported.certain, ListValue):
                names = [i.value for i in exported.certain.items if isinstance(i, Literal) and isinstance(i.value, str)]
            else:
                names = [n for n in result.env if not n.startswith("_")]
            for n in names:
                if n in result.env:
                    self.env[n] = result.env[n]
                    self.touched.add(n)
        else:
            for alias in node.names:
                imported = dotted_name(alias.name)
                if imported is None:
                    continue
                local = alias.asname.name.value if alias.asname and isinstance(alias.asname.name, cst.Name) else imported
                if imported in result.env:
                    self.env[local] = result.env[imported]
                    self.touched.add(local)

    def note_import(self, dotted: str, node: cst.CSTNode) -> None:
        """Remember a third-party import (project modules are followed, not recorded)."""
        if not dotted or self.owner.loader.resolve(dotted) is not None or self.owner.loader.resolve(dotted.split(".")[0]) is not None:
            return
        self.imports.append(ImportRef(dotted.split(".")[0], self.spans(node), self.guard > 0))

    def note_environ_scheme(self, name: str, node: cst.BaseExpression) -> None:
        """Remember ``env = environ.Env(DEBUG=(bool, False))`` so ``env("DEBUG")`` is a bool."""
        if not isinstance(node, cst.Call) or self.qualname(node.func) not in ("environ.Env", "environ.environ.Env"):
            return
        scheme: dict[str, tuple[str, Value | None]] = {}
        for arg in node.args:
            if arg.keyword is None:
                continue
            cast: str = "unknown"
            default: Value | None = None
            value = arg.value
            if isinstance(value, cst.Tuple) and value.elements:
                cast = _cast_name(self.qualname(value.elements[0].value) or "") or "unknown"
                if len(value.elements) > 1:
                    default = self.eval(value.elements[1].value)
            else:
                cast = _cast_name(self.qualname(value) or "") or "unknown"
            scheme[arg.keyword.value] = (cast, default)
        self.environ_schemes[name] = scheme
        self.aliases.pop(name, None)

    def note_decouple_config(self, name: str, node: cst.BaseExpression) -> None:
        """``config = AutoConfig(...)`` or ``Config(RepositoryEnv(...))`` reads like decouple's ``config``."""
        if isinstance(node, cst.Call) and self.qualname(node.func) in ("decouple.AutoConfig", "decouple.Config"):
            self.aliases[name] = "decouple.config"

    # ------------------------------------------------------------------ expressions

    def qualname(self, node: cst.BaseExpression) -> str | None:
        if isinstance(node, cst.Name):
            if node.value in self.environ_schemes:
                return "environ.Env()"
            return self.aliases.get(node.value, node.value if node.value not in self.env else None)
        if isinstance(node, cst.Attribute):
            base = self.qualname(node.value)
            return f"{base}.{node.attr.value}" if base else None
        return None

    def eval_certain(self, node: cst.BaseExpression) -> Value | None:
        values = self.eval_alts(node)
        return values[0] if len(values) == 1 else None

    def eval_alts(self, node: cst.BaseExpression) -> tuple[Value, ...]:
        """The alternatives an expression may evaluate to."""
        kind = type(node)
        if kind is cst.IfExp:
            return _dedupe(self.eval_alts(node.body) + self.eval_alts(node.orelse))  # type: ignore[attr-defined]
        if kind is cst.Name and node.value in self.env:  # type: ignore[attr-defined]
            binding = self.env[node.value]  # type: ignore[attr-defined]
            return binding.values
        return (self.eval(node),)

    def eval(self, node: cst.BaseExpression) -> Value:
        # Exact type checks (LibCST's node classes are ABCs, so every isinstance check
        # that fails is slow; none of these classes has subclasses), a span only for the
        # values that keep one, and one frame per level of nesting: a deep expression
        # must not run out of stack sooner than it did.
        kind = type(node)
        if kind is cst.SimpleString or kind is cst.ConcatenatedString:
            value = _string_value(node) if kind is cst.SimpleString else node.evaluated_value  # type: ignore[arg-type,attr-defined]
            if isinstance(value, str):
                return Literal(value, self.spans(node))
            return Unknown(self.spans(node), "bytes" if value is not None else "str")
        if kind is cst.Name:
            name = node.value  # type: ignore[attr-defined]
            if name in _CONSTANTS:
                return Literal(_CONSTANTS[name], self.spans(node))
            binding = self.env.get(name)
            if binding is not None and len(binding.values) == 1:
                return binding.values[0]
            return Unknown(self.spans(node), "name", name)
        if kind is cst.Integer:
            try:
                return Literal(int(node.value.replace("_", ""), 0), self.spans(node))  # type: ignore[attr-defined]
            except ValueError:
                return Unknown(self.spans(node), "int")
        if kind is cst.Dict:
            entries: list[tuple[Value, Value]] = []
            for element in node.elements:  # type: ignore[attr-defined]
                if type(element) is cst.StarredDictElement:
                    inner = self.eval(element.value)
                    if isinstance(inner, DictValue):
                        entries.extend(inner.entries)
                    else:
                        entries.append((Unknown(self.spans(element), "starred"), Unknown(self.spans(element), "starred")))
                else:
                    entries.append((self.eval(element.key), self.eval(element.value)))
            return DictValue(tuple(entries), self.spans(node))
        if kind is cst.List or kind is cst.Tuple or kind is cst.Set:
            items: list[Value] = []
            for element in node.elements:  # type: ignore[attr-defined]
                if type(element) is cst.StarredElement:
                    inner = self.eval(element.value)
                    if isinstance(inner, ListValue):
                        items.extend(inner.items)
                    else:
                        items.append(Unknown(self.spans(element), "starred"))
                else:
                    items.append(self.eval(element.value))
            return ListValue(tuple(items), self.spans(node), _SEQUENCE_KINDS[kind])
        if kind is cst.Call:
            return self.eval_call(node, self.spans(node))  # type: ignore[arg-type]
        if kind is cst.Subscript:
            return self.eval_subscript(node, self.spans(node))  # type: ignore[arg-type]
        if kind is cst.Attribute:
            qual = self.qualname(node)
            if qual is None and node.attr.value == "parent" and is_pathlib(self.eval(node.value)):  # type: ignore[attr-defined]
                return Unknown(self.spans(node), "path", PATHLIB)
            return Unknown(self.spans(node), "attribute", qual or "")
        if kind is cst.FormattedString:
            return Unknown(self.spans(node), "str", "f-string")
        if kind is cst.Float:
            return Literal(float(node.value.replace("_", "")), self.spans(node))  # type: ignore[attr-defined]
        if kind is cst.BooleanOperation:
            left = self.eval(node.left)  # type: ignore[attr-defined]
            if type(node.operator) is cst.Or and isinstance(left, EnvRead) and left.default is None:  # type: ignore[attr-defined]
                span = self.spans(node)
                return dataclasses.replace(left, span=span, default=self.eval(node.right), fallback_via="or")  # type: ignore[attr-defined]
            return Unknown(self.spans(node), "bool" if type(node.operator) is cst.And else "")  # type: ignore[attr-defined]
        if kind is cst.Comparison:
            return Unknown(self.spans(node), "bool")
        if kind is cst.UnaryOperation:
            if type(node.operator) is cst.Not:  # type: ignore[attr-defined]
                return Unknown(self.spans(node), "bool")
            inner = self.eval(node.expression)  # type: ignore[attr-defined]
            if type(node.operator) is cst.Minus and isinstance(inner, Literal) and isinstance(inner.value, (int, float)):  # type: ignore[attr-defined]
                return Literal(-inner.value, self.spans(node))
            return Unknown(self.spans(node))
        if kind is cst.BinaryOperation:
            if type(node.operator) is cst.Divide:  # type: ignore[attr-defined]
                return Unknown(self.spans(node), "path", PATHLIB if is_pathlib(self.eval(node.left)) else "")  # type: ignore[attr-defined]
            if type(node.operator) is cst.Add:  # type: ignore[attr-defined]
                left, right = self.eval(node.left), self.eval(node.right)  # type: ignore[attr-defined]
                if isinstance(left, Literal) and isinstance(right, Literal) and isinstance(left.value, str) and isinstance(right.value, str):
                    return Literal(left.value + right.value, self.spans(node))
                return _concat(left, right, self.spans(node))
            return Unknown(self.spans(node))
        if kind is cst.IfExp:
            return Unknown(self.spans(node), "alternatives")
        return Unknown(self.spans(node))

    def eval_subscript(self, node: cst.Subscript, span: Span) -> Value:
        qual = self.qualname(node.value)
        key = _index_key(node)
        if qual == "os.environ":
            var = self.eval(key) if key is not None else None
            return EnvRead("os.environ[]", var.value if isinstance(var, Literal) and isinstance(var.value, str) else None, span)
        if isinstance(node.value, cst.Attribute) and node.value.attr.value == "parents" and is_pathlib(self.eval(node.value.value)):
            return Unknown(span, "path", PATHLIB)
        base = self.eval(node.value)
        if isinstance(base, DictValue) and key is not None:
            k = self.eval(key)
            if isinstance(k, Literal):
                found = base.get(k.value)  # type: ignore[arg-type]
                if found is not None:
                    return found
        return Unknown(span, "subscript")

    def eval_call(self, node: cst.Call, span: Span) -> Value:
        qual = self.qualname(node.func) or ""
        positional = [a.value for a in node.args if a.keyword is None and not a.star]
        keywords = {a.keyword.value: a.value for a in node.args if a.keyword is not None}
        last = qual.rsplit(".", 1)[-1]

        def var_of(expr: cst.BaseExpression | None) -> str | None:
            if expr is None:
                return None
            value = self.eval(expr)
            return value.value if isinstance(value, Literal) and isinstance(value.value, str) else None

        def default_of(index: int, keyword: str = "default") -> tuple[Value | None, str | None]:
            if keyword in keywords:
                return self.eval(keywords[keyword]), "default"
            if len(positional) > index:
                return self.eval(positional[index]), "positional"
            return None, None

        if qual in ("os.environ.get", "os.getenv", "os.environ.setdefault"):
            default, via = default_of(1)
            return EnvRead(qual if qual != "os.environ.setdefault" else "os.environ.get", var_of(positional[0] if positional else keywords.get("key")), span, default=default, fallback_via=via)
        if qual == "decouple.config":
            default, via = default_of(1)
            cast = self.cast_of(keywords.get("cast"))
            return EnvRead("decouple", var_of(positional[0] if positional else keywords.get("option")), span, default=default, cast=cast, fallback_via=via)
        if qual == "environ.Env()":
            var = var_of(positional[0] if positional else keywords.get("var"))
            cast_node = keywords.get("cast", positional[1] if len(positional) > 1 else None)
            cast = self.cast_of(cast_node)
            default, via = (self.eval(keywords["default"]), "default") if "default" in keywords else (None, None)
            scheme = self.environ_schemes.get(_root_name(node.func) or "", {}).get(var or "")
            if scheme is not None:
                cast = cast or scheme[0]
                if default is None and scheme[1] is not None:
                    default, via = scheme[1], "default"
            return EnvRead("environ", var, span, default=default, cast=cast, fallback_via=via)
        if qual.startswith("environ.Env()."):
            method = qual.rsplit(".", 1)[1]
            var = var_of(positional[0] if positional else keywords.get("var"))
            if method in DJANGO_ENVIRON_DEFAULT_POSITION:
                cast = DJANGO_ENVIRON_DEFAULT_POSITION[method]
                default, via = default_of(1)
                if cast in ("db", "cache", "email", "search") and var is None:
                    var = {"db": "DATABASE_URL", "cache": "CACHE_URL", "email": "EMAIL_URL", "search": "SEARCH_URL"}[cast]
                return EnvRead(f"environ.{method}", var, span, default=default, cast=None if cast == "str" else cast, fallback_via=via)
            if method in DJANGO_ENVIRON_CAST_POSITION:
                default, via = (self.eval(keywords["default"]), "default") if "default" in keywords else (None, None)
                return EnvRead(f"environ.{method}", var, span, default=default, cast=DJANGO_ENVIRON_CAST_POSITION[method], fallback_via=via)
            return Unknown(span, f"call:{qual}")
        if qual == "dj_database_url.config":
            default = self.eval(keywords["default"]) if "default" in keywords else None
            return EnvRead("dj_database_url", var_of(keywords.get("env")) or "DATABASE_URL", span, default=default, cast="db", fallback_via="default" if default else None)
        if qual == "dj_database_url.parse" and positional:
            inner = self.eval(positional[0])
            if isinstance(inner, EnvRead):
                return dataclasses.replace(inner, span=span, api="dj_database_url", cast="db")
            if isinstance(inner, Literal) and isinstance(inner.value, str):
                url_scheme = inner.value.split(":", 1)[0].split("+")[0].lower()
                engine = DB_ENGINES.get(url_scheme)
                if engine:
                    return DictValue(((Literal("ENGINE", span), Literal(engine, inner.span)),), span)
            return Unknown(span, "call:dj_database_url.parse")
        if last in GENERATED:
            return Unknown(span, "generated", qual)
        if qual in PATHLIB_CALLS:
            return Unknown(span, "path", PATHLIB)
        if qual in PATH_CALLS:
            return Unknown(span, "path")
        # A conversion applied to an environment read.
        if len(positional) >= 1 and not keywords:
            inner = self.eval(positional[0])
            if isinstance(inner, EnvRead):
                if qual == "bool":
                    return dataclasses.replace(inner, span=span, wrapper="bool()")
                if qual in ("int", "float"):
                    return dataclasses.replace(inner, span=span, cast=qual)
                if qual == "str":
                    return dataclasses.replace(inner, span=span)
                if qual in ("json.loads", "ast.literal_eval", "eval"):
                    return dataclasses.replace(inner, span=span, cast="json")
                if last.lower() in BOOL_PARSERS:
                    return dataclasses.replace(inner, span=span, cast="bool")
                return dataclasses.replace(inner, span=span, cast="unknown")
        # A method called on an environment read.
        if isinstance(node.func, cst.Attribute):
            receiver = self.eval(node.func.value)
            method = node.func.attr.value
            if isinstance(receiver, EnvRead) and receiver.yields_string:
                if method in STRING_METHODS:
                    return dataclasses.replace(receiver, span=span)
                if method == "split":
                    return dataclasses.replace(receiver, span=span, cast="list")
                return dataclasses.replace(receiver, span=span, cast="unknown")
            if method in PATHLIB_METHODS and is_pathlib(receiver):
                return Unknown(span, "path", PATHLIB)
            if isinstance(receiver, Literal) and isinstance(receiver.value, str) and method == "split":
                sep_value = self.eval(positional[0]) if positional else None
                sep = sep_value.value if isinstance(sep_value, Literal) and isinstance(sep_value.value, str) else None
                return ListValue(tuple(Literal(p, receiver.span) for p in receiver.value.split(sep)), span)
        if qual in ("list", "tuple") and len(positional) == 1:
            inner = self.eval(positional[0])
            if isinstance(inner, ListValue):
                return ListValue(inner.items, span, qual)
        return Unknown(span, f"call:{qual}" if qual else "call")

    def cast_of(self, node: cst.BaseExpression | None) -> str | None:
        if node is None:
            return None
        if isinstance(node, cst.Call):
            qual = self.qualname(node.func) or ""
            if qual.endswith("Csv"):
                return "list"
            if qual.endswith("Choices"):
                return "str"
            return "unknown"
        return _cast_name(self.qualname(node) or "") or "unknown"


_CONSTANTS = {"True": True, "False": False, "None": None}
_SEQUENCE_KINDS = {cst.List: "list", cst.Tuple: "tuple", cst.Set: "set"}


# ---------------------------------------------------------------------- helpers


def _cast_name(qual: str) -> str | None:
    last = qual.rsplit(".", 1)[-1]
    if qual in ("bool", "int", "float", "str", "list", "tuple", "dict"):
        return {"tuple": "list"}.get(qual, qual)
    if last.lower() in BOOL_PARSERS:
        return "bool"
    if qual in ("json.loads", "ast.literal_eval"):
        return "json"
    return None


def _string_value(node: cst.SimpleString) -> str | bytes | None:
    """``node.evaluated_value``, without ``ast.literal_eval`` for plain quoted text.

    LibCST evaluates every string with ``ast.literal_eval``, a compile per literal: a
    third of the model's time on a large settings module.  A string with no prefix, no
    backslash and no carriage return is exactly the text between its quotes.
    """
    raw = node.value
    quote = raw[-1]
    if raw[0] == quote and "\\" not in raw and "\r" not in raw:
        size = 3 if len(raw) >= 6 and raw[:3] == quote * 3 else 1
        return raw[size:-size]
    return node.evaluated_value


def dotted_name(node: cst.CSTNode | None) -> str | None:
    """``a.b.c`` for a Name or an Attribute chain, else None."""
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        base = dotted_name(node.value)
        return f"{base}.{node.attr.value}" if base else None
    return None


def _import_text(node: cst.ImportFrom) -> str:
    """``from .base import *`` as written, on one line."""
    module = (dotted_name(node.module) or "?") if node.module is not None else ""
    source = "." * len(node.relative) + module
    if isinstance(node.names, cst.ImportStar):
        names = "*"
    else:
        names = ", ".join(
            (dotted_name(alias.name) or "?") + (f" as {alias.asname.name.value}" if alias.asname and isinstance(alias.asname.name, cst.Name) else "")
            for alias in node.names
        )
    return f"from {source} import {names}"


def _root_name(node: cst.BaseExpression) -> str | None:
    while isinstance(node, cst.Attribute):
        node = node.value
    return node.value if isinstance(node, cst.Name) else None


def _targets(node: cst.BaseExpression) -> list[cst.BaseExpression]:
    if isinstance(node, (cst.Tuple, cst.List)):
        return [e.value for e in node.elements]
    return [node]


def _index_key(node: cst.Subscript) -> cst.BaseExpression | None:
    if len(node.slice) != 1 or not isinstance(node.slice[0].slice, cst.Index):
        return None
    return node.slice[0].slice.value


def _subscript_path(node: cst.Subscript) -> tuple[str, list[str | None]] | None:
    """``DATABASES["default"]["NAME"]`` -> ("DATABASES", ["default", "NAME"])."""
    keys: list[str | None] = []
    current: cst.BaseExpression = node
    while isinstance(current, cst.Subscript):
        key = _index_key(current)
        evaluated = _string_value(key) if isinstance(key, cst.SimpleString) else None
        keys.insert(0, evaluated if isinstance(evaluated, str) else None)
        current = current.value
    if not isinstance(current, cst.Name):
        return None
    return current.value, keys


def _concat(left: Value, right: Value, span: Span) -> Value:
    if isinstance(left, ListValue) and isinstance(right, ListValue):
        return ListValue(left.items + right.items, left.span, left.kind)
    return Unknown(span, "changed")


def _dict_update(value: Value, arg_values: list[Value], args: Sequence[cst.Arg], site: Span) -> Value:
    """``DATABASES["default"].update(dj_database_url.config(...))`` and ``d.update({...})``."""
    if len(arg_values) == 1 and args[0].keyword is None:
        new = arg_values[0]
        if isinstance(new, EnvRead):
            # The fallback is what was there: dj_database_url.config() returns {} when unset.
            return dataclasses.replace(new, default=value, fallback_via="default")
        if isinstance(value, DictValue) and isinstance(new, DictValue):
            return DictValue(value.entries + new.entries, value.span)
    if isinstance(value, DictValue) and all(a.keyword is not None for a in args) and args:
        extra = tuple((Literal(a.keyword.value, site), v) for a, v in zip(args, arg_values, strict=True) if a.keyword is not None)
        return DictValue(value.entries + extra, value.span)
    return Unknown(site, "changed")
