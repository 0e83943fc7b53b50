"""Which modules the project has, which settings module Heroku will run, and the
wsgi/asgi entry points that start it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..discover.projects import Project
from ..ftypes import ParseError, Span
from ..read.layout import Layout, search_span
from ..read.records import EntryPoint

PRODUCTION_NAMES = ("production", "prod", "heroku", "live", "deploy")
DEV_NAMES = ("local", "dev", "development", "base", "test")
WHITENOISE_LEGACY_RE = re.compile(r"\bwhitenoise\.django\b")
SETDEFAULT_RE = re.compile(
    r"""(?:setdefault\(\s*|\[\s*)(?P<q>['"])DJANGO_SETTINGS_MODULE(?P=q)\s*(?:,|\]\s*=)\s*(?P<q2>['"])(?P<module>[\w.]+)(?P=q2)"""
)


class ModuleIndex:
    """Maps dotted module names to the project's files, as ``sys.path`` would find them."""

    def __init__(self, project: Project, extra_roots: list[str] | None = None) -> None:
        self.project = project
        roots = [project.project_dir]
        for extra in extra_roots or []:
            if extra not in roots:
                roots.append(extra)
        if "" not in roots:
            roots.append("")
        self.roots = roots

    def resolve(self, name: str) -> str | None:
        if not name or not all(part.isidentifier() for part in name.split(".")):
            return None
        rel = name.replace(".", "/")
        for root in self.roots:
            prefix = root + "/" if root else ""
            for candidate in (f"{prefix}{rel}.py", f"{prefix}{rel}/__init__.py"):
                if candidate in self.project.files:
                    return candidate
        return None

    def module_for(self, path: str) -> str | None:
        for root in self.roots:
            prefix = root + "/" if root else ""
            if path.startswith(prefix) and path.endswith(".py"):
                rel = path[len(prefix) : -3]
                if rel.endswith("/__init__"):
                    rel = rel[: -len("/__init__")]
                return rel.replace("/", ".")
        return None


def setdefault_module(project: Project, rel: str) -> str | None:
    """The module a ``wsgi.py``/``asgi.py``/``manage.py`` defaults DJANGO_SETTINGS_MODULE to."""
    data = project.read(rel)
    if isinstance(data, ParseError):
        return None
    match = SETDEFAULT_RE.search(data.decode("utf-8", "replace"))
    return match.group("module") if match else None


@dataclass(frozen=True, slots=True)
class SettingsChoice:
    """The settings module judged, and why djhlint believes it is the one deployed."""

    module: str
    path: str
    reason: str


def choose_settings_module(
    project: Project, layout: Layout, index: ModuleIndex, configured: str | None
) -> SettingsChoice | None:
    """Which settings module is deployed; first match wins (see the README)."""

    def found(module: str, reason: str) -> SettingsChoice | None:
        path = index.resolve(module)
        return SettingsChoice(module, path, reason) if path else None

    if configured:
        return found(configured, "set by settings-module in the configuration") or SettingsChoice(
            configured, "", "set by settings-module in the configuration, but no such module was found"
        )
    web = layout.procfile.process("web") if layout.procfile else None
    if web is not None and "DJANGO_SETTINGS_MODULE" in web.env:
        choice = found(web.env["DJANGO_SETTINGS_MODULE"], f"DJANGO_SETTINGS_MODULE set in the {layout.procfile.path} web command")  # type: ignore[union-attr]
        if choice:
            return choice
    if "DJANGO_SETTINGS_MODULE" in layout.app_json_env:
        choice = found(layout.app_json_env["DJANGO_SETTINGS_MODULE"], "DJANGO_SETTINGS_MODULE set in app.json's env")
        if choice:
            return choice

    wsgi_files = _entry_points(project, layout, index)
    for entry in wsgi_files:
        pointed = setdefault_module(project, entry)
        if not pointed:
            continue
        sibling = production_sibling(pointed, index)
        if sibling is not None:
            return SettingsChoice(sibling[0], sibling[1], f"production module beside {pointed}, which {entry} points at")
    for entry in wsgi_files:
        pointed = setdefault_module(project, entry)
        if pointed:
            choice = found(pointed, f"the DJANGO_SETTINGS_MODULE default in {entry}")
            if choice:
                return choice
    manage = f"{project.project_dir}/manage.py" if project.project_dir else "manage.py"
    pointed = setdefault_module(project, manage)
    if pointed:
        choice = found(pointed, f"the DJANGO_SETTINGS_MODULE default in {manage}")
        if choice:
            return choice
    prefix = f"{project.project_dir}/" if project.project_dir else ""
    plain = sorted(
        f for f in project.files if f.startswith(prefix) and f[len(prefix) :].count("/") == 1 and f.endswith("/settings.py")
    )
    if plain:
        module = index.module_for(plain[0]) or ""
        return SettingsChoice(module, plain[0], f"{plain[0]} (no wsgi.py or manage.py names a settings module)")
    return None


def production_sibling(pointed: str, index: ModuleIndex) -> tuple[str, str] | None:
    """A production settings module beside ``pointed``, as (module, path), if one exists."""
    pointed_path = index.resolve(pointed)
    if pointed_path is None:
        return None
    if pointed_path.endswith("/__init__.py"):
        package = pointed
        candidates = [f"{package}.{name}" for name in PRODUCTION_NAMES]
    else:
        package, _, leaf = pointed.rpartition(".")
        candidates = []
        if package.rsplit(".", 1)[-1] == "settings" or ("settings" in leaf and package):
            if package.rsplit(".", 1)[-1] == "settings":
                candidates += [f"{package}.{name}" for name in PRODUCTION_NAMES]
            candidates += [f"{package}.{leaf}_{name}" for name in PRODUCTION_NAMES]
            candidates += [f"{package}.{name}_{leaf}" for name in PRODUCTION_NAMES]
    for candidate in candidates:
        if candidate == pointed:
            continue
        path = index.resolve(candidate)
        if path:
            return candidate, path
    return None


def is_dev_module(module: str) -> bool:
    """``mysite.settings.local``, ``mysite.settings_dev``, ``config.dev_settings``..."""
    leaf = module.rsplit(".", 1)[-1].lower()
    return leaf in DEV_NAMES or any(part in DEV_NAMES for part in leaf.split("_") if "settings" in leaf)


def entry_points(project: Project, layout: Layout, index: ModuleIndex) -> list[EntryPoint]:
    """The wsgi/asgi modules Heroku may start: the web process's, or every one found."""
    web = layout.procfile.process("web") if layout.procfile else None
    named = index.resolve(web.app_module) if web is not None and web.app_module else None
    paths = [named] if named else _entry_points(project, layout, index)
    result = []
    for rel in paths:
        data = project.read(rel)
        if isinstance(data, ParseError):
            continue
        text = data.decode("utf-8", "replace")
        entry = EntryPoint(path=rel)
        match = SETDEFAULT_RE.search(text)
        if match:
            default = match.group("module")
            sibling = production_sibling(default, index)
            entry = EntryPoint(
                path=rel,
                settings_default=default,
                settings_span=search_span(rel, text, SETDEFAULT_RE, "module"),
                production_module=sibling[0] if sibling else None,
            )
        for number, line in enumerate(text.splitlines(), start=1):
            if line.lstrip().startswith("#"):
                continue
            legacy = WHITENOISE_LEGACY_RE.search(re.split(r"\s#", line, maxsplit=1)[0])
            if legacy:
                start = len(line) - len(line.lstrip())
                entry.legacy_whitenoise.append(Span(rel, number, start + 1, number, len(line.rstrip()) + 1))
        result.append(entry)
    return result


def _entry_points(project: Project, layout: Layout, index: ModuleIndex) -> list[str]:
    """``wsgi.py``/``asgi.py`` files: the one the Procfile's server names first."""
    ordered: list[str] = []
    web = layout.procfile.process("web") if layout.procfile else None
    if web is not None and web.app_module:
        path = index.resolve(web.app_module)
        if path:
            ordered.append(path)
    prefix = f"{project.project_dir}/" if project.project_dir else ""
    for name in ("wsgi.py", "asgi.py"):
        for f in sorted(project.files):
            if f.startswith(prefix) and f.endswith("/" + name) and f[len(prefix) :].count("/") <= 2 and f not in ordered:
                ordered.append(f)
    return ordered
