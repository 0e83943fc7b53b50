"""The static settings model: what the deployed settings module sets, without running it.

A small abstract interpreter walks each module's statements in execution order.  It
keeps, for every module-level name, the alternatives it may hold (``Binding``): one
value for straight-line code, several when assignments sit under ``if``/``else``/
``try``.  Values are plain data (``values.Value``): literals, environment reads with
their variable, fallback and cast, or unknown.  Star imports of the project's own
modules are followed in order, so later assignments override earlier ones.

This module runs statements and follows the control flow and the project's imports.
The rest is in pieces of its own:

- ``expressions.py`` evaluates expressions;
- ``branches.py`` keeps the names and joins the alternatives of branches;
- ``imports.py`` tracks which library each name stands for;
- ``recognizers.py`` knows the libraries: what ``os.getenv``, decouple's ``config``,
  django-environ's ``env.bool`` or ``django_heroku.settings`` read or do.
"""

from __future__ import annotations

import dataclasses
import gc
import itertools
from collections.abc import Callable, Iterable, Sequence
from contextlib import contextmanager
from typing import Protocol

import libcst as cst

from ..ftypes import ParseError, Span
from ..read.python import PythonFile
from .branches import Names
from .expressions import BadLiteral, Evaluator, concat, index_key, string_value, unknown_list
from .imports import ImportTracker, absolute_module, dotted_name, import_text, local_name
from .recognizers import EFFECTS, MAKERS, Args, Call
from .spans import Placer, SpanMaker
from .values import Binding, DictValue, EnvRead, ImportRef, ListValue, Literal, ModuleRef, ReadSite, SettingsModel, Unknown, Value

__all__ = ["ModuleLoader", "SettingsInterpreter", "dotted_name"]  # dotted_name: the fix stage's, from here


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

    def committed(self, path: str) -> bool:
        """Whether a push deploys ``path`` for certain (git tracks it), not only this work tree."""
        return True

    def config_files(self) -> frozenset[str]:
        """The committed ``.env`` and ``settings.ini`` files, which reach the dyno."""
        return frozenset()

    def config_file(self, path: str, reader: str) -> dict[str, str] | ParseError:
        """What one of :meth:`config_files` sets when ``reader`` (``"environ"`` or
        ``"decouple"``) reads it."""
        return {}


# The objects that read the environment, as the import tracker names them: django-environ's
# ``env = environ.Env()`` and python-decouple's ``config``.
READERS = ("environ.Env()", "decouple.config")


@dataclasses.dataclass
class ModuleResult:
    """What running one module of the chain left: its settings and what it imported."""

    env: dict[str, Binding]
    chain: list[ModuleRef]
    complete: bool
    imports: list[ImportRef] = dataclasses.field(default_factory=list)
    django_heroku_calls: list[Span] = dataclasses.field(default_factory=list)
    events: list[tuple[str, Span]] = dataclasses.field(default_factory=list)
    env_reads: list[ReadSite] = dataclasses.field(default_factory=list)  # every environment read run, placed
    # What its names stand for, as the import tracker knew at its end: a module that imports
    # them (``from .base import env``, ``from .base import *``) gets them too.
    aliases: dict[str, str] = dataclasses.field(default_factory=dict)
    objects: dict[str, tuple[str, object]] = dataclasses.field(default_factory=dict)


class SettingsInterpreter:
    """Builds a :class:`SettingsModel` for one settings module and what it star-imports."""

    def __init__(self, loader: ModuleLoader) -> None:
        self.loader = loader
        self.cache: dict[str, ModuleResult] = {}
        self.stack: list[str] = []
        self.errors: list[ParseError] = []
        self.paused: list[bool] = []  # for each module being run: whether it paused the garbage collector
        self.read_modules: set[str] = set()  # the modules whose environment reads an importer has taken

        # What committed files put in the environment at import time, as (value, file) by
        # variable: django-environ's read_env() copies a .env into os.environ.
        self.environ_files: dict[str, tuple[str, str]] = {}
        self.decouple_files: dict[str, tuple[str, str]] | None = None  # python-decouple's settings.ini or .env, once found
        self.decouple_ini = False  # whether that is a settings.ini, whose names are in lower case

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
            events=result.events,
            env_reads=_innermost(result.env_reads),
            readers=self.readers(),
        )

    def readers(self) -> dict[str, dict[str, str]]:
        """The environment readers each module run holds at its end, by file (SettingsModel.readers)."""
        found: dict[str, dict[str, str]] = {}
        for run in self.cache.values():
            if not run.chain:
                continue
            names = {name: qual for name, (qual, _) in run.objects.items() if qual in READERS}
            names.update({name: qual for name, qual in run.aliases.items() if qual in READERS})
            if names:
                found[run.chain[-1].path] = dict(sorted(names.items()))
        return found

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
                env={name: place.binding(binding) for name, binding in runner.names.env.items()},
                chain=[place.module_ref(ref) for ref in runner.chain] + [ModuleRef(module, path)],
                complete=runner.complete,
                imports=[place.import_ref(ref) for ref in runner.imports],
                django_heroku_calls=[place.span(call) for call in runner.django_heroku_calls],
                events=list(dict.fromkeys((kind, place.span(span)) for kind, span in runner.events)),
                env_reads=_distinct(dataclasses.replace(site, read=place.value(site.read)) for site in runner.reads),  # type: ignore[arg-type]
                aliases=dict(runner.tracker.aliases),
                objects={name: (qual, _placed_state(place, state)) for name, (qual, state) in runner.tracker.objects.items()},
            )
        except RecursionError:  # a long ``a or b or ...`` (LibCST nests it) or star imports chained hundreds deep
            reason = "the module nests too deeply to interpret (a very long expression, or star imports chained too deep)"
            self.errors.append(ParseError(Span(path), reason))
            return None
        except BadLiteral as bad:
            span = runner.spans(bad.node)
            placed = runner.spans.placer(parsed.module, parsed.text).span(span)
            self.errors.append(ParseError(placed, f"syntax error: {bad.reason}"))
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


class ModuleRunner:
    """Runs one module's statements: assignments, control flow, imports, calls as statements."""

    def __init__(self, owner: SettingsInterpreter, module: str, path: str, parsed: PythonFile) -> None:
        self.owner = owner
        self.module = module
        self.path = path
        self.parsed = parsed
        self.spans = SpanMaker(path)
        self.names = Names()
        self.tracker = ImportTracker()
        self.evaluator = Evaluator(self.names, self.tracker, self.spans)
        self.evaluator.overlay = self.from_committed_file
        self.eval = self.evaluator.eval
        self.eval_alts = self.evaluator.eval_alts
        self.chain: list[ModuleRef] = []
        self.complete = True
        self.imports: list[ImportRef] = []  # third-party imports, in execution order
        self.django_heroku_calls: list[Span] = []
        self.events = self.evaluator.events  # what the module's code did (values.SettingsModel.events)
        self.reads = self.evaluator.reads  # every environment read the module ran (values.SettingsModel.env_reads)
        self.notes: dict[int, str] = {}  # by id of an import under try: why it runs on Heroku, or may not
        self.package = module if owner.loader.is_package(path) else module.rpartition(".")[0]

    # ------------------------------------------------------------------ what a call statement may do (recognizers.Effects)

    def is_set(self, name: str) -> bool:
        return name in self.names.env

    def bind(self, name: str, values: tuple[Value, ...], site: Span) -> None:
        self.names.bind(name, values, site)

    def change(self, name: str, fn: Callable[[Value], Value], site: Span) -> None:
        self.names.change(name, fn, site)

    def update_path(self, name: str, keys: list[str | None], fn: Callable[[Value], Value], site: Span) -> None:
        self.names.update_path(name, keys, fn, site)

    @property
    def guard(self) -> int:
        """> 0 inside try, an undecided if, a loop or match: the code may not run."""
        return self.evaluator.guard

    @guard.setter
    def guard(self, value: int) -> None:
        self.evaluator.guard = value

    # ------------------------------------------------------------------ committed files that set the environment

    def from_committed_file(self, read: EnvRead, qual: str) -> EnvRead:
        """A read of a variable that a committed file sets: its value is what deploys where
        no config var is set, so it is the fallback (``EnvRead.dotenv``).  A ``.env`` that
        ``read_env()`` copied into the environment counts for every reader; the file
        python-decouple's ``config`` finds, for its reads only."""
        if read.var is None or read.fallback_via == "dotenv":
            return read
        found = self.owner.environ_files.get(read.var)
        if found is None and qual == "decouple.config":
            files = self.decouple_files()
            found = files.get(read.var.lower() if self.owner.decouple_ini else read.var)  # configparser folds names
        if found is None:
            return read
        value, file = found
        return dataclasses.replace(read, default=Literal(value, read.span), fallback_via="dotenv", dotenv=file)

    def read_env(self, where: str, overwrite: bool) -> None:
        """django-environ's ``read_env()`` of a committed ``.env`` (recognizers.Effects).
        One that may not run on Heroku (under an ``if`` djhlint cannot decide, in a ``try``
        or a loop: cookiecutter-django's ``if READ_DOT_ENV_FILE:``) is left out: its values
        would be taken for what deploys when they may never be read."""
        if self.guard > 0:
            return
        folder = self.path.rpartition("/")[0]
        if where == "module":
            candidates = [_joined(folder, ".env")]
        elif where == "root":
            candidates = [".env"]
        else:
            candidates = [_joined(each, ".env") for each in _folders_up(folder)]
        found = [each for each in candidates if each in self.owner.loader.config_files()]
        if len(found) != 1:
            return  # none is committed, or BASE_DIR could be any of them: leave the reads as they are
        for var, value in self.committed_values(found[0], "environ").items():
            if overwrite or var not in self.owner.environ_files:
                self.owner.environ_files[var] = value

    def decouple_files(self) -> dict[str, tuple[str, str]]:
        """What python-decouple's ``config`` reads besides the environment: the first
        ``settings.ini``, else ``.env``, in the folder of the module that calls it first or
        in the nearest folder above (decouple's ``AutoConfig``), among the committed ones."""
        owner = self.owner
        if owner.decouple_files is None:
            owner.decouple_files = {}
            committed = owner.loader.config_files()
            for folder in _folders_up(self.path.rpartition("/")[0]) if committed else ():
                found = [_joined(folder, name) for name in ("settings.ini", ".env") if _joined(folder, name) in committed]
                if found:
                    owner.decouple_files = self.committed_values(found[0], "decouple")
                    owner.decouple_ini = found[0].endswith(".ini")
                    break
        return owner.decouple_files

    def committed_values(self, path: str, reader: str) -> dict[str, tuple[str, str]]:
        data = self.owner.loader.config_file(path, reader)
        if isinstance(data, ParseError):
            if data not in self.owner.errors:
                self.owner.errors.append(data)
            return {}
        return {var: (value, path) for var, value in data.items()}

    # ------------------------------------------------------------------ statements

    def run(self) -> None:
        try:
            self.exec_block(self.parsed.module.body)
        finally:
            self.evaluator.overlay = None  # a cycle through this runner would keep its syntax tree alive

    def exec_block(self, body: Sequence[cst.CSTNode]) -> None:
        for stmt in body:
            self.exec_stmt(stmt)

    def exec_stmt(self, stmt: cst.CSTNode) -> None:
        names = self.names
        if isinstance(stmt, cst.SimpleStatementLine):
            for small in stmt.body:
                self.exec_small(small)
        elif isinstance(stmt, cst.If):
            self.exec_if(stmt)
        elif isinstance(stmt, cst.Try) or isinstance(stmt, getattr(cst, "TryStar", ())):
            self.guard += 1
            try:
                with self.evaluator.under("inside a try statement"):
                    self.exec_try(stmt.body.body, stmt.handlers, stmt.orelse, stmt.finalbody)  # type: ignore[attr-defined]
            finally:
                self.guard -= 1
        elif isinstance(stmt, (cst.For, cst.While)):
            before, outer = names.fork()
            self.guard += 1
            try:
                with self.evaluator.under("inside a loop"):
                    self.exec_block(stmt.body.body)
                    if stmt.orelse is not None:
                        self.exec_block(stmt.orelse.body.body)
            finally:
                self.guard -= 1
            names.join(before, [before, names.env], outer)
        elif isinstance(stmt, cst.With):
            self.exec_block(stmt.body.body)
        elif isinstance(stmt, (cst.FunctionDef, cst.ClassDef)):
            names.bind(stmt.name.value, (Unknown(self.spans(stmt.name), "definition"),), self.spans(stmt.name))
        elif isinstance(stmt, cst.Match):
            before, outer = names.fork()
            branches = []
            for case in stmt.cases:
                names.env = dict(before)
                self.guard += 1
                try:
                    with self.evaluator.under("in one case of a match"):
                        self.exec_block(case.body.body)
                finally:
                    self.guard -= 1
                branches.append(names.env)
            branches.append(before)
            names.join(before, branches, outer)

    def exec_if(self, stmt: cst.If) -> None:
        test = self.evaluator.truth(stmt.test)
        if test is True:
            self.exec_block(stmt.body.body)
            return
        if test is False:
            self.exec_else(stmt.orelse)
            return
        names = self.names
        before, outer = names.fork()
        text = " ".join(self.parsed.module.code_for_node(stmt.test).split())
        text = text if len(text) <= 60 else text[:57] + "..."
        self.guard += 1
        try:
            with self.evaluator.under(f"when `{text}` is true"):
                self.exec_block(stmt.body.body)
            taken = names.env
            names.env = dict(before)
            with self.evaluator.under(f"when `{text}` is false"):
                self.exec_else(stmt.orelse)
        finally:
            self.guard -= 1
        names.join(before, [taken, names.env], outer)

    def exec_else(self, orelse: cst.If | cst.Else | None) -> None:
        if isinstance(orelse, cst.If):
            self.exec_if(orelse)
        elif isinstance(orelse, cst.Else):
            self.exec_block(orelse.body.body)

    def exec_try(self, body, handlers, orelse, finalbody) -> None:
        names = self.names
        before, outer = names.fork()
        sure = not handlers or self.cannot_raise(body)  # before the body runs: its imports get their notes
        self.exec_block(body)
        if orelse is not None:
            self.exec_block(orelse.body.body)
        branches = None
        if not sure:
            branches = [names.env]
            for handler in handlers:
                names.env = dict(before)
                with self.evaluator.under("when its try block raises"):
                    self.exec_block(handler.body.body)
                branches.append(names.env)
        names.join(before, branches, outer)
        if finalbody is not None:
            self.exec_block(finalbody.body.body)

    def cannot_raise(self, body: Sequence[cst.CSTNode]) -> bool:
        """A try body made only of imports of project modules a push deploys succeeds.

        ``try: from .local_settings import *`` runs on Heroku when git tracks the file; one
        git does not track (a developer's, not ignored) may be missing there, so the
        handler is an alternative.  Each such import gets a note saying which.  Beside the
        imports, the body may hold what cannot raise: ``pass`` and a literal bound to a
        name (``DEBUG = True`` after the import, as real projects write it).
        """
        raises = False
        notes = {}
        for stmt in body:
            if not isinstance(stmt, cst.SimpleStatementLine):
                return False
            for small in stmt.body:
                if _cannot_raise(small):
                    continue
                found = self.project_module(small) if isinstance(small, cst.ImportFrom) else None
                if found is None:
                    return False
                file = found[1].rpartition("/")[2]
                if not self.owner.loader.committed(found[1]):
                    notes[id(small)] = f"git does not track {file}, so on Heroku this import may fail: what it sets is one alternative"
                    raises = True
                else:
                    how = "committed" if getattr(self.owner.loader, "in_git", False) else "in the build"
                    notes[id(small)] = f"{file} is {how}, so this import runs on Heroku"
        self.notes.update(notes)  # only for a body of such imports: other code may raise whatever they do
        return not raises

    def exec_small(self, small: cst.BaseSmallStatement) -> None:
        self.evaluator.target = _assigned_name(small)
        try:
            self.exec_assigning(small)
        finally:
            self.evaluator.target = ""

    def exec_assigning(self, small: cst.BaseSmallStatement) -> None:
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
            for dotted in self.tracker.run_import(small):
                self.note_import(dotted, small)
        elif isinstance(small, cst.ImportFrom):
            self.exec_import_from(small)
        elif isinstance(small, cst.Del):
            for element in _targets(small.target):
                if isinstance(element, cst.Name):
                    self.names.delete(element.value)

    def assign(self, target: cst.BaseExpression, values: tuple[Value, ...], value_node: cst.BaseExpression) -> None:
        if isinstance(target, cst.Name):
            self.names.bind(target.value, values, self.spans(target))
            if isinstance(value_node, cst.Call):
                self.note_made(target.value, value_node)
        elif isinstance(target, (cst.Tuple, cst.List)):
            elements = [e.value for e in target.elements]
            if isinstance(value_node, (cst.Tuple, cst.List)) and len(value_node.elements) == len(elements):
                for element, item in zip(elements, value_node.elements, strict=True):
                    self.assign(element, self.eval_alts(item.value), item.value)
            else:
                for element in elements:
                    if isinstance(element, cst.Name):
                        self.names.bind(element.value, (Unknown(self.spans(element), "unpacked"),), self.spans(element))
        elif isinstance(target, cst.Subscript):
            path = _subscript_path(target)
            if path is None:
                return
            name, keys = path
            new = values[0] if len(values) == 1 else Unknown(self.spans(value_node), "alternatives")
            self.names.update_path(name, keys, lambda _old: new, self.spans(target))

    def note_made(self, name: str, node: cst.Call) -> None:
        """``env = environ.Env(...)``: ``name`` now stands for what a maker says (recognizers.py)."""
        qual = self.evaluator.qualname(node.func) or ""
        make = MAKERS.find(qual)
        if make is None:
            return
        made = make(Call(qual, node, self.spans(node), self.evaluator), Args.of(node, self.evaluator))
        if made is None:
            return
        if made.alias:
            self.tracker.imported(name, made.qualified)
        else:
            self.tracker.made(name, made.qualified, made.state)

    def exec_augassign(self, node: cst.AugAssign) -> None:
        site = self.spans(node.target)
        right = self.eval(node.value)
        if isinstance(node.target, cst.Name) and isinstance(node.operator, cst.AddAssign):
            self.names.change(node.target.value, lambda left: concat(left, right, site), site)
        elif isinstance(node.target, cst.Name):
            self.names.change(node.target.value, lambda left: Unknown(site, "changed"), site)
        elif isinstance(node.target, cst.Subscript):
            path = _subscript_path(node.target)
            if path is not None:
                op = node.operator
                fn = (lambda left: concat(left, right, site)) if isinstance(op, cst.AddAssign) else (lambda left: Unknown(site, "changed"))
                self.names.update_path(path[0], path[1], fn, site)

    def exec_call_statement(self, call: cst.Call) -> None:
        """A call made as a statement: a library's (``django_heroku.settings``), or a method
        changing a list or dict of the module (``MIDDLEWARE.insert(...)``)."""
        qual = self.evaluator.qualname(call.func) or ""
        effect = EFFECTS.find(qual)
        if effect is not None:
            effect(Call(qual, call, self.spans(call), self.evaluator), Args.of(call, self.evaluator), self)
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
        if name not in self.names.env or self.tracker.is_imported(name):
            return
        site = self.spans(call)
        args = [a for a in call.args]
        arg_values = [self.eval(a.value) for a in args]

        def op(value: Value) -> Value:
            return _method_result(value, method, args, arg_values, site)

        if keys:
            self.names.update_path(name, keys, op, site)
        else:
            self.names.change(name, op, site)

    # ------------------------------------------------------------------ imports

    def project_module(self, node: cst.ImportFrom) -> tuple[str, str] | None:
        """The project module an ``from X import ...`` names, as (name, path), if present."""
        name = absolute_module(node, self.package)
        if name is None:
            return None
        path = self.owner.loader.resolve(name)
        return (name, path) if path is not None else None

    def exec_import_from(self, node: cst.ImportFrom) -> None:
        source = absolute_module(node, self.package)
        if source is None:
            return
        found = self.project_module(node)
        if found is None and not node.relative:
            self.note_import(source, node)
        if found is None:
            self.tracker.run_import_from(node, source)
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
        for event in result.events:
            if event not in self.events:
                self.events.append(event)
        if name not in self.owner.read_modules:  # a module runs once: its reads count where it first ran
            self.owner.read_modules.add(name)
            self.reads += [dataclasses.replace(site, guarded=site.guarded or self.guard > 0) for site in result.env_reads]
        for ref in result.chain:
            if ref.name == name and ref.imported_by is None:
                note = self.notes.get(id(node), "")
                ref = dataclasses.replace(ref, imported_by=self.module, statement=import_text(node), site=self.spans(node), note=note)
            if all(ref.name != seen.name for seen in self.chain):
                self.chain.append(ref)
        if isinstance(node.names, cst.ImportStar):
            for n in _star_names(result.env):
                if n in result.env:
                    self.names.share(n, result.env[n])
            exported = set(_star_names({n: Binding(()) for n in (*result.env, *result.aliases, *result.objects)}))
            if "__all__" in result.env:
                exported &= set(_star_names(result.env))
            for n in sorted(exported):
                self.take_name(result, n, n)
        else:
            for alias in node.names:
                imported = dotted_name(alias.name)
                if imported is None:
                    continue
                if imported in result.env:
                    self.names.share(local_name(alias) or imported, result.env[imported])
                self.take_name(result, imported, local_name(alias) or imported)

    def take_name(self, result: ModuleResult, name: str, local: str) -> None:
        """``local`` now stands for what ``name`` stood for in an imported module of the project:
        an object a library made there (``env = environ.Env()``) or a library's name it imported
        (``from decouple import config``), so ``env.bool(...)`` reads the environment here too."""
        if name in result.objects:
            qualified, state = result.objects[name]
            self.tracker.made(local, qualified, state)
        elif name in result.aliases:
            self.tracker.imported(local, result.aliases[name])

    def note_import(self, dotted: str, node: cst.CSTNode) -> None:
        """Remember a third-party import (project modules are followed, not recorded)."""
        if not dotted or self.owner.loader.resolve(dotted) is not None or self.owner.loader.resolve(dotted.split(".")[0]) is not None:
            return
        self.imports.append(ImportRef(dotted.split(".")[0], self.spans(node), self.guard > 0))


# ---------------------------------------------------------------------- helpers


def _joined(folder: str, name: str) -> str:
    return f"{folder}/{name}" if folder else name


def _folders_up(folder: str) -> list[str]:
    """``a/b`` -> ["a/b", "a", ""]: a folder of the build and those above it, to the root."""
    result = [folder]
    while folder:
        folder = folder.rpartition("/")[0]
        result.append(folder)
    return result


def _star_names(env: dict[str, Binding]) -> Iterable[str]:
    """The names ``from module import *`` takes: its ``__all__`` when known, else every public name."""
    exported = env.get("__all__")
    if exported is not None and exported.certain is not None and isinstance(exported.certain, ListValue):
        return [i.value for i in exported.certain.items if isinstance(i, Literal) and isinstance(i.value, str)]
    return [n for n in env if not n.startswith("_")]


def _cannot_raise(small: cst.BaseSmallStatement) -> bool:
    """``pass``, or a literal bound to plain names (``DEBUG = True``, ``X = Y = "a"``)."""
    if isinstance(small, cst.Pass):
        return True
    if not isinstance(small, cst.Assign) or not all(isinstance(t.target, cst.Name) for t in small.targets):
        return False
    value = small.value
    if isinstance(value, cst.UnaryOperation) and isinstance(value.operator, cst.Minus):
        value = value.expression
    if isinstance(value, cst.Name):
        return value.value in ("True", "False", "None")
    return isinstance(value, (cst.SimpleString, cst.Integer, cst.Float))


def _assigned_name(small: cst.BaseSmallStatement) -> str:
    """What an assignment sets or changes: ``X`` of ``X = ...`` or ``X += ...``,
    ``X['default']['PASSWORD']`` of an item assignment (``[?]`` for a key that is not a
    literal); ``""`` for any other statement."""
    if isinstance(small, cst.Assign):
        target: cst.BaseExpression = small.targets[0].target
    elif isinstance(small, (cst.AnnAssign, cst.AugAssign)):
        target = small.target
    else:
        return ""
    if isinstance(target, cst.Subscript):
        path = _subscript_path(target)
        if path is not None:
            return path[0] + "".join("[?]" if key is None else f"[{key!r}]" for key in path[1])
    return target.value if isinstance(target, cst.Name) else ""


def _distinct(sites: Iterable[ReadSite]) -> list[ReadSite]:
    """Each read once: an expression evaluated twice (an ``or`` tried two ways) reads once."""
    return list(dict.fromkeys(sites))


def _innermost(sites: list[ReadSite]) -> list[ReadSite]:
    """The reads that hold no other read of the same variable: ``os.environ["X"]``, not
    the ``dj_database_url.parse(...)`` around it, whose reader would hide that it raises.
    Spans of expressions nest or are apart, so a read holds another exactly when the next
    read of its variable, in order of start (the longer first), starts inside it."""
    order = sorted(
        range(len(sites)),
        key=lambda i: (sites[i].read.var or "", sites[i].read.span.file, sites[i].read.span.line, sites[i].read.span.col,
                       -sites[i].read.span.end_line, -sites[i].read.span.end_col),
    )
    outer: set[int] = set()
    for this, after in itertools.pairwise(order):
        a, b = sites[this].read, sites[after].read
        if a.var == b.var and a.span.file == b.span.file and a.span != b.span and (b.span.line, b.span.col) < (a.span.end_line, a.span.end_col):
            outer.add(this)
    return [site for index, site in enumerate(sites) if index not in outer]


def _placed_state(place: Placer, state: object) -> object:
    """The state a maker recorded (django-environ's scheme), its values' spans placed."""
    if isinstance(state, dict):
        return {key: _placed_state(place, item) for key, item in state.items()}
    if isinstance(state, tuple):
        return tuple(_placed_state(place, item) for item in state)
    if isinstance(state, (Literal, ListValue, DictValue, EnvRead, Unknown)):
        return place.value(state)
    return state


def _targets(node: cst.BaseExpression) -> list[cst.BaseExpression]:
    if isinstance(node, (cst.Tuple, cst.List)):
        return [e.value for e in node.elements]
    return [node]


def _subscript_path(node: cst.Subscript) -> tuple[str, list[str | None]] | None:
    """``DATABASES["default"]["NAME"]`` -> ("DATABASES", ["default", "NAME"])."""
    keys: list[str | None] = []
    current: cst.BaseExpression = node
    while isinstance(current, cst.Subscript):
        key = index_key(current)
        evaluated = string_value(key) if isinstance(key, cst.SimpleString) else None
        keys.insert(0, evaluated if isinstance(evaluated, str) else None)
        current = current.value
    if not isinstance(current, cst.Name):
        return None
    return current.value, keys


def _method_result(value: Value, method: str, args: Sequence[cst.Arg], arg_values: list[Value], site: Span) -> Value:
    """``value`` after ``value.method(*args)``: a list's ``append``/``extend``/``insert``/``remove``,
    a dict's ``update``; a method that reads changes nothing; any other is unknown."""
    if method in ("append", "extend", "insert", "remove"):
        if not isinstance(value, ListValue):
            return _grown_list(value, method, arg_values, site)
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


def _grown_list(value: Value, method: str, arg_values: list[Value], site: Span) -> Value:
    """A list read from the environment (``config("ALLOWED_HOSTS", cast=Csv())``) or of unknown
    items, after ``append(x)`` or ``extend([...])``: its head unknown, what was added certain."""
    if not unknown_list(value) or len(arg_values) != 1:
        return Unknown(site, "changed")
    if method == "append":
        return ListValue((Unknown(site, "starred"), arg_values[0]), site)
    if method == "extend" and isinstance(arg_values[0], ListValue):
        return ListValue((Unknown(site, "starred"), *arg_values[0].items), site)
    return Unknown(site, "changed")


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
