"""The pipeline: find the projects, parse, build the settings model, run the rules.

The orchestrator of the stages: it is the one module that wires them (discover, read,
model, rules), and hands the fix stage the re-lint it needs (:func:`run_fixes`).
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field
from pathlib import Path
from collections.abc import Callable, Iterator

from .model.cache import Entry, Recorder, SettingsCache
from .read.config import Config, ConfigError, exclude_patterns, find_config, is_excluded, load_config_file, per_file_ignores, select_rules
from .discover.projects import Project, find_projects
from .ftypes import Diagnostic, ParseError
from .model.values import SettingsModel
from .rules.context import Context, LintResult, ProjectResult
from .read.dotenv import committed_config_files, read_config_file
from .read.layout import Layout, committed_files, read_layout, settings_module_set_by
from .model.entries import EntryEnvRead, entry_env_reads
from .model.modules import ModuleIndex, choose_settings_module, entry_points
from .read.python import MAX_PYTHON_BYTES, noqa_comments, noqa_map
from .store import CACHE_DIR_NAME, secret_dir, user_secret
from .rules.registry import ALL_RULES

TYPE_CHECKING = False  # typing is imported by type checkers only: djhlint starts faster without it
if TYPE_CHECKING:
    from typing import Any

    from .fix.fixer import FixOutcome


@dataclass(frozen=True, slots=True)
class Options:
    """What a run was asked for: the paths, the rules and how to treat the cache."""

    paths: list[str] = field(default_factory=lambda: ["."])
    select: list[str] | None = None
    ignore: list[str] | None = None
    settings_module: str | None = None
    log: Callable[[str], None] | None = None  # --verbose messages
    cache: bool = True
    cache_dir: str | None = None  # default: .djhlint_cache in each build root
    config: str | None = None  # --config: this configuration file instead of the one found
    isolated: bool = False  # --isolated: no configuration file at all
    exclude: list[str] | None = None  # --exclude: instead of the configuration's
    extend_exclude: list[str] | None = None  # --extend-exclude: added to them


class ProjectLoader:
    """Hands the settings model the project's Python files, parsed once each."""

    def __init__(self, project: Project, index: ModuleIndex) -> None:
        self.project = project
        self.index = index
        self.parsed: dict[str, object] = {}
        self._config_files: frozenset[str] | None = None
        self.in_git = project.in_git

    def resolve(self, name: str) -> str | None:
        return self.index.resolve(name)

    def is_package(self, path: str) -> bool:
        return path.endswith("__init__.py")

    def committed(self, path: str) -> bool:
        """Whether a push deploys ``path`` for certain: in git, whether git tracks it; outside
        git, every file of the walk counts."""
        return self.project.tracked(path) if self.project.in_git else path in self.project.files

    def config_files(self) -> frozenset[str]:
        """The committed ``.env`` and ``settings.ini`` files (read/dotenv.py)."""
        if self._config_files is None:
            self._config_files = committed_config_files(self.project)
        return self._config_files

    def config_file(self, path: str, reader: str) -> dict[str, str] | ParseError:
        return read_config_file(self.project, path, reader)

    def load(self, path: str):
        if path not in self.parsed:
            data = self.project.read(path)
            if isinstance(data, ParseError):
                self.parsed[path] = data
            else:
                from .read.python import parse_python

                self.parsed[path] = parse_python(data, path)
        return self.parsed[path]


def build_context(
    project: Project, config: Config, log: Callable[[str], None] | None = None, cache: SettingsCache | None = None
) -> tuple[Context, dict]:
    layout = read_layout(project)
    extra_roots = []
    web = layout.procfile.process("web") if layout.procfile else None
    if web is not None and web.chdir:
        extra_roots.append(web.chdir.strip("./") if web.chdir not in (".", "./") else "")
    index = ModuleIndex(project, extra_roots)
    errors = list(layout.errors)
    choice = choose_settings_module(project, layout, index, config.settings_module)
    settings: SettingsModel | None = None
    loader = ProjectLoader(project, index)
    if choice is not None and not choice.path and config.settings_module:
        raise ConfigError(f"settings module {choice.module!r} was not found in {project.build_root}")
    noqa: dict = {}
    if choice is not None and choice.path:
        cache = cache or SettingsCache(None)
        # What git tracks is an input too: a committed local_settings.py or .env runs on Heroku.
        tracking = [sorted(loader.config_files()), sorted(f for f in project.untracked if f.endswith(".py"))]
        key = SettingsCache.key(str(project.build_root), choice.module, choice.path, choice.reason, [*index.roots, tracking])
        entry = cache.lookup(key, project, index)
        if entry is None:
            from .model.interpreter import SettingsInterpreter

            recorder = Recorder(loader)
            interpreter = SettingsInterpreter(recorder)
            built = interpreter.build(choice.module, choice.path, choice.reason)
            parsed_noqa = {path: parsed.noqa for path, parsed in loader.parsed.items() if hasattr(parsed, "noqa")}
            entry = Entry(built, interpreter.errors, parsed_noqa)
            cache.store(key, recorder, entry)
        elif log:
            log(f"{project.build_root}: settings model from the cache")
        settings, noqa = entry.settings, entry.noqa
        errors.extend(entry.errors)
        if log:
            log(f"{project.build_root}: judging settings module {choice.module} ({choice.path}): {choice.reason}")
            if choice.guessed:
                log(f"  a guess among {len(choice.candidates)} candidates: {', '.join(choice.candidates)}")
            if settings is not None and len(settings.chain) > 1:
                log(f"  settings chain: {' -> '.join(ref.name for ref in settings.chain)}")
            if settings is not None and not settings.complete:
                log("  the chain is incomplete (a module could not be read): settings rules stay silent")
    elif log:
        why = choice.reason if choice is not None else "no settings module found"
        log(f"{project.build_root}: cannot tell which settings module runs: {why}; settings rules are skipped")
    noqa = dict(noqa)
    entries = entry_points(project, layout, index)
    for point in entries:  # rules report in wsgi.py/asgi.py too: honour their noqa comments
        data = project.read(point.path)
        if point.path not in noqa and isinstance(data, bytes):
            noqa[point.path] = noqa_map(data.decode("utf-8", "replace"))
    venvs, dotenvs = committed_files(project)
    context = Context(
        build_root=str(project.build_root),
        project_dir=project.project_dir,
        files=project.files,
        settings=settings,
        settings_choice=choice,
        build_root_reason=project.build_root_reason,
        parse_errors=errors,
        in_git=project.in_git,
        entry_points=entries,
        entry_env=_entry_env(project, [point.path for point in entries]),
        settings_module_set_by=settings_module_set_by(project, layout),
        committed_venvs=venvs,
        dotenv_files=dotenvs,
        **_layout_facts(layout),
    )
    return context, noqa


def _entry_env(project: Project, paths: list[str]) -> list[EntryEnvRead]:
    """The environment the entry points Heroku starts and ``manage.py`` (which the build's
    collectstatic and a release's migrate run) read."""
    manage = f"{project.project_dir}/manage.py" if project.project_dir else "manage.py"
    found: list[EntryEnvRead] = []
    for rel in [*paths, manage]:
        data = project.read(rel) if rel in project.files else None
        if isinstance(data, bytes) and len(data) <= MAX_PYTHON_BYTES and (b"environ" in data or b"getenv" in data):
            found += entry_env_reads(data.decode("utf-8", "replace"), rel)
    return found


def _layout_facts(layout: Layout) -> dict[str, Any]:
    """What the layout found, for the context fields of the same name: a new fact of the
    build files is a field of both, not a third copy here."""
    wanted = {each.name for each in dataclasses.fields(Context)}
    return {each.name: getattr(layout, each.name) for each in dataclasses.fields(layout) if each.name in wanted}


def _configure(project: Project, options: Options) -> Config:
    """The project's configuration, with the command line's settings module and exclude
    patterns applied."""
    if options.isolated and options.config:
        raise ConfigError("--config and --isolated cannot be used together")
    if options.isolated:
        config = Config()
    elif options.config:
        config = load_config_file(options.config)
    else:
        config = find_config(project.build_root, project.repo_top)
    if options.log:
        where = config.source or ("none (--isolated)" if options.isolated else "none found")
        options.log(f"{project.build_root}: configuration file: {where}")
    config.excludes = exclude_patterns(config, options.exclude, options.extend_exclude, os.path.realpath(os.getcwd()))
    config.settings_module = options.settings_module or config.settings_module
    return config


def _left_out(project: Project, config: Config, log: Callable[[str], None] | None) -> bool:
    """Whether exclude leaves the whole project out: its build root, the folder of its
    manage.py, or every file of its build is excluded.  It is then not linted at all."""
    if not config.excludes:
        return False
    root = str(project.build_root)
    folders = [root] + ([os.path.join(root, project.project_dir)] if project.project_dir else [])
    if any(is_excluded(folder, config.excludes, root) for folder in folders) or all(
        is_excluded(os.path.join(root, rel), config.excludes, root) for rel in project.files
    ):
        if log:
            log(f"project {folders[-1]}: excluded, not linted")
        return True
    return False


def _context(project: Project, config: Config, options: Options) -> tuple[Context, dict]:
    if options.log:
        where = f"/{project.project_dir}" if project.project_dir else ""
        why = f" ({project.build_root_reason})" if project.build_root_reason else ""
        options.log(f"project {project.build_root}{where}: build root {project.build_root}{why}")
    cache = None
    if options.cache:
        cache = SettingsCache(Path(options.cache_dir) if options.cache_dir else project.build_root / CACHE_DIR_NAME)
        if options.log and user_secret() is None:
            options.log(f"the settings-model cache is off: no private secret to sign its entries in {secret_dir()}")
    return build_context(project, config, options.log, cache)


def lint(options: Options) -> LintResult:
    """Lint the projects the paths name.  Raises DiscoveryError or ConfigError for exit code 2."""
    return lint_projects(find_projects(options.paths), options)


def lint_projects(projects: list[Project], options: Options) -> LintResult:
    """Lint the projects found, but those exclude leaves out.  The rules that read only
    the build's files run once per build root: for its first Django project linted."""
    results = []
    linted: set[Path] = set()  # the build roots whose build rules have run
    for project in projects:
        config = _configure(project, options)
        if not _left_out(project, config, options.log):
            results.append(lint_project(project, options, config, build_rules=project.build_root not in linted))
            linted.add(project.build_root)
    return LintResult(results)


def lint_project(project: Project, options: Options, config: Config | None = None, build_rules: bool = True) -> ProjectResult:
    """Lint one project: also what the fix stage runs on the files as its fixes leave them.

    The rules see every file of the build; exclude then drops the diagnostics of the
    files it matches, so leaving a file out never makes a problem of its absence.
    Without ``build_rules``, the rules that read only the build's files (``per_build_root``)
    do not run: another Django project of the same build root ran them."""
    config = config if config is not None else _configure(project, options)
    selected = select_rules(ALL_RULES, config, options.select, options.ignore)
    rules = [rule_class() for rule_class in selected if build_rules or not rule_class.per_build_root]
    per_file = per_file_ignores(ALL_RULES, config) if config.per_file_ignores else []
    context, noqa = _context(project, config, options)
    diagnostics: list[Diagnostic] = []
    used: set[tuple[str, int, str]] = set()  # (file, line, code or name) of each noqa that suppressed a diagnostic

    root = str(project.build_root)
    folder = os.path.realpath(config.folder) if config.folder else root  # per-file-ignores' paths start there, as exclude's

    def kept(found: Iterator[Diagnostic]) -> Iterator[Diagnostic]:
        """The diagnostics neither per-file-ignores nor a noqa comment silence."""
        for diagnostic in found:
            path = os.path.join(root, diagnostic.span.file)
            if any(diagnostic.code in codes and is_excluded(path, [(folder, pattern)], root) for pattern, codes in per_file):
                continue
            if not _suppressed(diagnostic, noqa, used):
                yield diagnostic

    last = [rule for rule in rules if rule.code == UNUSED_NOQA]
    for rule in rules:
        if rule.code != UNUSED_NOQA:
            diagnostics += kept(rule.check(context))
    if last:  # unused-noqa judges what the other rules' suppressions did: it runs after them
        named = {each for lines in noqa.values() for codes in lines.values() if codes for each in codes}
        ran = {rule.code for rule in rules}
        for rule_class in ALL_RULES:  # a rule a noqa names is judged even when not selected: only its suppressions count
            if rule_class.code not in ran and {rule_class.code, rule_class.name} & named:
                for _ in kept(rule_class().check(context)):
                    pass
        context = dataclasses.replace(
            context,
            noqa_comments=_noqa_comments(project, noqa),
            noqa_used=frozenset(used),
            known_rules=frozenset(each for rule in ALL_RULES for each in (rule.code, rule.name)),
        )
        diagnostics += kept(last[0].check(context))
    if config.excludes:
        diagnostics = [d for d in diagnostics if not is_excluded(os.path.join(root, d.span.file), config.excludes, root)]
    return ProjectResult(project, context, diagnostics, tuple(config.excludes))


UNUSED_NOQA = "DJH002"  # rules/djh002_unused_noqa.py: computed from what the other rules' noqa comments suppressed


def _suppressed(diagnostic: Diagnostic, noqa: dict, used: set[tuple[str, int, str]]) -> bool:
    """Whether a ``# noqa`` on the diagnostic's line silences it: a bare one, or one naming
    its code or its name (each such code or name is added to ``used``)."""
    span = diagnostic.span
    codes = noqa[span.file].get(span.line, ()) if span.file in noqa else ()
    if codes is None:
        return True
    named = codes & {diagnostic.code, diagnostic.name} if codes else None
    if named:
        used.update((span.file, span.line, each) for each in named)
        return True
    return False


def _noqa_comments(project: Project, noqa: dict) -> dict[str, list]:
    """The ``# noqa: CODES`` comments of the Python files the run read, where they name codes."""
    found = {}
    for path, lines in noqa.items():
        if not any(lines.values()):
            continue
        data = project.read(path)
        if isinstance(data, bytes):
            found[path] = noqa_comments(data.decode("utf-8", "replace"))
    return found


def inspect(options: Options) -> list[ProjectResult]:
    """What djhlint understands of each project, without running the rules (`djhlint settings`).

    Raises DiscoveryError or ConfigError, as :func:`lint` does.
    """
    results: list[ProjectResult] = []
    for project in find_projects(options.paths):
        config = _configure(project, options)
        if _left_out(project, config, options.log):
            continue
        context, _ = _context(project, config, options)
        results.append(ProjectResult(project, context, []))
    return results


def run_fixes(result: LintResult, options: Options, unsafe: bool = False, write_files: bool = True) -> FixOutcome:
    """Fix what can be fixed in every project of ``result`` (``--fix``, ``--diff``), each
    state the fixes leave linted again with the run's options, uncached and quietly."""
    from .fix.fixer import run_fixes as fix_projects

    quiet = dataclasses.replace(options, log=None, cache=False)  # states never written to disk are not cached

    def relint(project: Project) -> list[Diagnostic]:
        return lint_project(project, quiet).diagnostics

    return fix_projects(result, relint, unsafe, write_files)


def configurations(options: Options) -> list[tuple[ProjectResult, Config, list[str]]]:
    """What a check run would use for each project (``--show-settings``): the project as
    discovery and the settings-module choice see it, its configuration, and the codes of
    the rules that run.  Raises DiscoveryError or ConfigError, as :func:`lint` does."""
    found = []
    for project in find_projects(options.paths):
        config = _configure(project, options)
        codes = [rule.code for rule in select_rules(ALL_RULES, config, options.select, options.ignore)]
        per_file_ignores(ALL_RULES, config)  # a bad code in per-file-ignores is an error, as in a check run
        context, _ = _context(project, config, options)
        found.append((ProjectResult(project, context, []), config, codes))
    return found
