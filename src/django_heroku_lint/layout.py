"""The parse stage for the repository layout: Procfile, version files, app.json, and
which settings module Heroku will run."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from .discovery import Project
from .ftypes import ParseError, Procfile, Span, VersionFile
from .parse import decode_text, split_lines
from .procfile import parse_procfile

PRODUCTION_NAMES = ("production", "prod", "heroku", "live", "deploy")
# Names a Procfile may wrongly carry; Procfile.windows and the local-development variants are legitimate.
LEGITIMATE_PROCFILE_SUFFIXES = (".windows", ".dev", ".development", ".local", ".test", ".example", ".sample")
SETDEFAULT_RE = re.compile(
    r"""(?:setdefault\(\s*|\[\s*)(?P<q>['"])DJANGO_SETTINGS_MODULE(?P=q)\s*(?:,|\]\s*=)\s*(?P<q2>['"])(?P<module>[\w.]+)(?P=q2)"""
)


@dataclass
class Layout:
    procfile: Procfile | None
    misnamed_procfiles: list[str]
    version_files: dict[str, VersionFile]
    pipfile_lock_python: str | None
    app_json_env: dict[str, str]
    errors: list[ParseError]


# A Procfile or a version file is a few lines: past this it is not one, and parsing
# it line by line would cost seconds and hundreds of MiB.
MAX_TEXT_BYTES = 64 * 1024


def _text(project: Project, rel: str, errors: list[ParseError]) -> str | None:
    data = project.read(rel)
    if isinstance(data, ParseError):
        errors.append(data)
        return None
    if len(data) > MAX_TEXT_BYTES:
        errors.append(ParseError(Span(rel), f"file is too large ({len(data) // 1024} KiB) for a file of a few lines"))
        return None
    text = decode_text(data, rel)
    if isinstance(text, ParseError):
        errors.append(text)
        return None
    return text


def misnamed_procfiles(root_files: list[str]) -> list[str]:
    """Root files meant to be a Procfile: another case, or an extension such as ``.txt``."""
    found = []
    for name in root_files:
        lowered = name.strip().lower()
        if name == "Procfile":
            continue
        if lowered == "procfile" or (
            lowered.startswith("procfile.") and not lowered.endswith(LEGITIMATE_PROCFILE_SUFFIXES)
        ):
            found.append(name)
    return found


def read_layout(project: Project) -> Layout:
    errors: list[ParseError] = []
    root = project.root_files()
    misnamed = [] if "Procfile" in root else misnamed_procfiles(root)
    procfile = None
    procfile_name = "Procfile" if "Procfile" in root else (misnamed[0] if misnamed else None)
    if procfile_name is not None:
        text = _text(project, procfile_name, errors)
        if text is not None:
            procfile = parse_procfile(procfile_name, text)
    versions: dict[str, VersionFile] = {}
    for name in ("runtime.txt", ".python-version"):
        if name not in root:
            continue
        text = _text(project, name, errors)
        if text is None:
            versions[name] = VersionFile(path=name, text="")
            continue
        entry = VersionFile(path=name, text=text)
        for number, line in enumerate(split_lines(text), start=1):
            stripped = line.strip()
            if stripped and not stripped.startswith("#"):
                col = line.index(stripped[0]) + 1
                entry.versions.append((stripped, Span(name, number, col, number, col + len(stripped))))
        versions[name] = entry
    lock_python = None
    if "Pipfile.lock" in root:
        data = project.read("Pipfile.lock")
        if not isinstance(data, ParseError):
            try:
                lock = json.loads(data.decode("utf-8"))
                lock_python = lock.get("_meta", {}).get("requires", {}).get("python_version")
            except (ValueError, AttributeError, UnicodeDecodeError, RecursionError):  # RecursionError: nested thousands deep
                lock_python = None
    app_env: dict[str, str] = {}
    if "app.json" in root:
        data = project.read("app.json")
        if not isinstance(data, ParseError):
            try:
                app = json.loads(data.decode("utf-8-sig"))
                env = app.get("env", {}) if isinstance(app, dict) else {}
                for key, value in (env.items() if isinstance(env, dict) else []):
                    if isinstance(value, dict):
                        value = value.get("value")
                    if isinstance(value, str):
                        app_env[key] = value
            except (ValueError, UnicodeDecodeError, RecursionError):  # RecursionError: arrays nested thousands deep
                pass
    return Layout(procfile, misnamed, versions, lock_python, app_env, errors)


# ---------------------------------------------------------------------- module index


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


@dataclass
class SettingsChoice:
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
        pointed_path = index.resolve(pointed)
        if pointed_path is None:
            continue
        if pointed_path.endswith("/__init__.py"):
            package = pointed
            candidates = [f"{package}.{name}" for name in PRODUCTION_NAMES]
        else:
            package, _, leaf = pointed.rpartition(".")
            candidates = []
            if package.rsplit(".", 1)[-1] == "settings" or "settings" in leaf and package:
                if package.rsplit(".", 1)[-1] == "settings":
                    candidates += [f"{package}.{name}" for name in PRODUCTION_NAMES]
                candidates += [f"{package}.{leaf}_{name}" for name in PRODUCTION_NAMES]
                candidates += [f"{package}.{name}_{leaf}" for name in PRODUCTION_NAMES]
        for candidate in candidates:
            if candidate == pointed:
                continue
            choice = found(candidate, f"production module beside {pointed}, which {entry} points at")
            if choice:
                return choice
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
