"""The pipeline: find the projects, parse, build the settings model, run the rules."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .config import Config, ConfigError, load_config, select_rules
from .discovery import Project, _excluded, find_projects
from .ftypes import Context, Diagnostic, ParseError, SettingsModel
from .layout import ModuleIndex, choose_settings_module, read_layout
from .rules import ALL_RULES


@dataclass
class Options:
    paths: list[str] = field(default_factory=lambda: ["."])
    select: list[str] | None = None
    ignore: list[str] | None = None
    settings_module: str | None = None
    log: Callable[[str], None] | None = None  # --verbose messages


@dataclass
class ProjectResult:
    project: Project
    context: Context
    diagnostics: list[Diagnostic]


@dataclass
class LintResult:
    projects: list[ProjectResult]

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return sorted((d for p in self.projects for d in p.diagnostics), key=Diagnostic.sort_key)


class ProjectLoader:
    """Hands the settings model the project's Python files, parsed once each."""

    def __init__(self, project: Project, index: ModuleIndex) -> None:
        self.project = project
        self.index = index
        self.parsed: dict[str, object] = {}

    def resolve(self, name: str) -> str | None:
        return self.index.resolve(name)

    def is_package(self, path: str) -> bool:
        return path.endswith("__init__.py")

    def load(self, path: str):  # type: ignore[no-untyped-def]
        if path not in self.parsed:
            data = self.project.read(path)
            if isinstance(data, ParseError):
                self.parsed[path] = data
            else:
                from .parse import parse_python

                self.parsed[path] = parse_python(data, path)
        return self.parsed[path]


def build_context(project: Project, config: Config, log: Callable[[str], None] | None = None) -> tuple[Context, dict]:
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
    if choice is not None and not choice.path:
        raise ConfigError(f"settings module {choice.module!r} was not found in {project.build_root}")
    if choice is not None:
        from .model import SettingsInterpreter

        interpreter = SettingsInterpreter(loader)
        settings = interpreter.build(choice.module, choice.path, choice.reason)
        errors.extend(interpreter.errors)
        if log:
            log(f"{project.build_root}: judging settings module {choice.module} ({choice.path}): {choice.reason}")
            if settings is not None and len(settings.chain) > 1:
                log(f"  settings chain: {' -> '.join(ref.name for ref in settings.chain)}")
            if settings is not None and not settings.complete:
                log("  the chain is incomplete (a module could not be read): settings rules stay silent")
    elif log:
        log(f"{project.build_root}: no settings module found; settings rules are skipped")
    noqa = {path: parsed.noqa for path, parsed in loader.parsed.items() if hasattr(parsed, "noqa")}
    context = Context(
        build_root=str(project.build_root),
        project_dir=project.project_dir,
        files=project.files,
        settings=settings,
        procfile=layout.procfile,
        misnamed_procfiles=layout.misnamed_procfiles,
        version_files=layout.version_files,
        pipfile_lock_python=layout.pipfile_lock_python,
        parse_errors=errors,
        python_pins=layout.python_pins,
    )
    return context, noqa


def lint(options: Options) -> LintResult:
    """Lint the projects the paths name.  Raises DiscoveryError or ConfigError for exit code 2."""
    return LintResult([lint_project(project, options) for project in find_projects(options.paths)])


def lint_project(project: Project, options: Options) -> ProjectResult:
    """Lint one project: also what the fix stage runs on the files as its fixes leave them."""
    config = load_config(project.build_root)
    if config.exclude:
        project.files = frozenset(f for f in project.files if not _excluded(f, config.exclude))
    settings_module = options.settings_module or config.settings_module
    config.settings_module = settings_module
    rules = [rule_class() for rule_class in select_rules(ALL_RULES, config, options.select, options.ignore)]
    if options.log:
        where = f"/{project.project_dir}" if project.project_dir else ""
        options.log(f"project {project.build_root}{where}: build root {project.build_root}")
    context, noqa = build_context(project, config, options.log)
    diagnostics: list[Diagnostic] = []
    for rule in rules:
        for diagnostic in rule.check(context):
            codes = noqa.get(diagnostic.span.file, {}).get(diagnostic.span.line, ()) if diagnostic.span.file in noqa else ()
            if codes is None or (codes and diagnostic.code in codes):
                continue
            diagnostics.append(diagnostic)
    return ProjectResult(project, context, diagnostics)


def relative_path(path: str, cwd: Path | None = None) -> str:
    """A path relative to the current folder when it is below it, else absolute."""
    import os

    cwd_str = str(cwd or Path.cwd())
    try:
        rel = os.path.relpath(path, cwd_str)
    except ValueError:
        return path
    return path if rel.startswith("..") and len(rel.split(os.sep)) > 4 else rel
