"""Which modules the project has, which settings module Heroku will run, and the
wsgi/asgi entry points that start it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from ..discover.projects import Project
from ..ftypes import ParseError, Span
from ..read.layout import Layout
from ..read.records import EntryPoint
from ..read.python import MAX_PYTHON_BYTES
from .entries import EntryDefaults, dyno_env, literal_defaults, read_defaults

PRODUCTION_NAMES = ("production", "prod", "heroku", "live", "deploy")
DEV_NAMES = ("local", "dev", "development", "base", "test")
WHITENOISE_LEGACY_RE = re.compile(r"\bwhitenoise\.django\b")
# `application = Cling(get_wsgi_application())` (dj-static), `application = WhiteNoise(application, root=...)`
STATIC_WRAPPER_RE = re.compile(
    r"^[ \t]*\w+[ \t]*=[ \t]*(?:dj_static\.|whitenoise\.)?(?P<wrapper>Cling|MediaCling|WhiteNoise)[ \t]*\(", re.MULTILINE
)
STAR_IMPORT_RE = re.compile(r"^[ \t]*from[ \t]+(?P<module>[\w.]+)[ \t]+import[ \t]*\*", re.MULTILINE)
INSTALLED_APPS_RE = re.compile(r"^INSTALLED_APPS[ \t]*(?::[^=\n]*)?=", re.MULTILINE)


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
            # A package wins over a module of the same name beside it, as in Python's
            # import system (a stale settings.py left beside the settings/ that replaced it).
            for candidate in (f"{prefix}{rel}/__init__.py", f"{prefix}{rel}.py"):
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


def entry_defaults(project: Project, layout: Layout, rel: str) -> EntryDefaults | None:
    """What ``rel`` (a ``wsgi.py``/``asgi.py``/``manage.py``) defaults DJANGO_SETTINGS_MODULE
    to on a web dyno: its branches decided, its computed names evaluated, with the
    environment the Procfile and ``app.json`` give (see :mod:`.entries`)."""
    if rel not in project.files:
        return None
    data = project.read(rel)
    if isinstance(data, ParseError) or b"DJANGO_SETTINGS_MODULE" not in data or len(data) > MAX_PYTHON_BYTES:
        return None  # a bigger file is not an entry point anyone wrote by hand
    web = layout.procfile.process("web") if layout.procfile else None
    procfile = layout.procfile.path if layout.procfile else "Procfile"
    text = data.decode("utf-8", "replace")
    read = read_defaults(text, rel, dyno_env(web.env if web else {}, layout.app_json_env, procfile, layout.docs_config_vars))
    if read is None:  # Python refuses the file: its first literal default, as before it broke
        return literal_defaults(text, rel)
    return read


def _pick(read: EntryDefaults) -> tuple[str, list[str]]:
    """The module an entry point names, and the alternatives when its code cannot be
    decided: the one named for production first."""
    modules = list(dict.fromkeys(read.modules))
    if len(modules) > 1:
        modules.sort(key=lambda name: 0 if name.rsplit(".", 1)[-1].lower() in PRODUCTION_NAMES else 1 if not is_dev_module(name) else 2)
    return modules[0], modules if len(modules) > 1 else []


def _how(read: EntryDefaults) -> str:
    """The decisions that chose an entry point's default, for the choice's reason."""
    said = list(read.decisions)
    for name in read.uncast_debug:
        said.append(f"{name} is read uncast: any non-empty value, even \"False\", takes the other branch")
    return f" ({'; '.join(said)})" if said else ""


@dataclass(frozen=True, slots=True)
class SettingsChoice:
    """The settings module judged, and why djhlint believes it is the one deployed.

    An empty ``path`` means djhlint cannot tell which module runs (``reason`` says what
    it tried); ``module`` is then the name it was given, if any.  ``candidates`` are the
    modules that could be the deployed one when the choice is a guess among them (the
    chosen one first): a config var the repository cannot show decides.
    """

    module: str
    path: str
    reason: str
    candidates: list[str] = field(default_factory=list)
    span: Span | None = None  # for a module djhlint cannot find: the statement that names or computes it

    @property
    def guessed(self) -> bool:
        return len(self.candidates) > 1


HOW_TO_TELL = "set settings-module in [tool.djhlint] or pass --settings-module"


def choose_settings_module(
    project: Project, layout: Layout, index: ModuleIndex, configured: str | None
) -> SettingsChoice | None:
    """Which settings module is deployed; first match wins (see the README).

    Returns ``None`` only for a configured module that does not exist; a module djhlint
    cannot find is a choice with an empty path and the reason why.
    """

    def found(module: str, reason: str) -> SettingsChoice | None:
        path = index.resolve(module)
        return SettingsChoice(module, path, reason) if path else None

    if configured:
        return found(configured, "set by settings-module in the configuration") or SettingsChoice(
            configured, "", "set by settings-module in the configuration, but no such module was found"
        )
    web = layout.procfile.process("web") if layout.procfile else None
    if web is not None and "DJANGO_SETTINGS_MODULE" in web.env:
        where = f"the {layout.procfile.path} web command" if web.span.file == layout.procfile.path else f"{web.span.file}, which the web process runs"  # type: ignore[union-attr]
        choice = found(web.env["DJANGO_SETTINGS_MODULE"], f"DJANGO_SETTINGS_MODULE set in {where}")
        if choice:
            return choice
    if "DJANGO_SETTINGS_MODULE" in layout.app_json_env:
        choice = found(layout.app_json_env["DJANGO_SETTINGS_MODULE"], "DJANGO_SETTINGS_MODULE set in app.json's env")
        if choice:
            return choice
    if "DJANGO_SETTINGS_MODULE" in layout.docs_config_vars:
        module, where = layout.docs_config_vars["DJANGO_SETTINGS_MODULE"]
        choice = found(module, f"DJANGO_SETTINGS_MODULE set with heroku config:set at {where}")
        if choice:
            return choice

    wsgi_files = _entry_points(project, layout, index)
    reads = {entry: entry_defaults(project, layout, entry) for entry in wsgi_files}
    pointers = [(entry, read, *_pick(read)) for entry, read in reads.items() if read is not None and read.modules]
    for entry, read, pointed, alternatives in pointers:
        if alternatives:
            existing = [name for name in alternatives if index.resolve(name)]
            if existing:
                return SettingsChoice(
                    existing[0],
                    index.resolve(existing[0]) or "",
                    f"{entry} chooses the DJANGO_SETTINGS_MODULE default in code djhlint cannot decide; "
                    f"the module named for production is taken{_how(read)}",
                    existing,
                )
        siblings = production_siblings(project, pointed, index)
        if siblings:
            module, path = siblings[0]
            pointed_path = index.resolve(pointed)
            if pointed_path is not None:
                reason = f"production module beside {pointed}, which {entry} points at{_how(read)}"
            else:
                reason = f"production module beside {pointed}, which {entry} points at but the repository does not hold{_how(read)}"
            runs_alone = pointed_path is not None and not is_fragment(project, pointed_path)  # not an empty __init__.py
            candidates = [name for name, _ in siblings] + ([pointed] if runs_alone else [])
            return SettingsChoice(module, path, reason, candidates)
    for entry, read, pointed, _ in pointers:
        choice = found(pointed, f"the DJANGO_SETTINGS_MODULE default in {entry}{_how(read)}")
        if choice:
            return choice
    if pointers:
        entry, read, pointed, _ = pointers[0]
        return SettingsChoice(
            pointed,
            "",
            f"{entry} defaults DJANGO_SETTINGS_MODULE to {pointed}, which the repository does not hold "
            f"(renamed, or git-ignored), and no production module sits beside it{_how(read)}",
            span=read.defaults[0].span if read.defaults else Span(entry),
        )
    manage = f"{project.project_dir}/manage.py" if project.project_dir else "manage.py"
    manage_read = entry_defaults(project, layout, manage)
    named = _pick(manage_read)[0] if manage_read is not None and manage_read.modules else None
    if named and manage_read is not None:
        choice = found(named, f"the DJANGO_SETTINGS_MODULE default in {manage}{_how(manage_read)}")
        if choice:
            return choice
    prefix = f"{project.project_dir}/" if project.project_dir else ""
    plain = sorted(
        f for f in project.files if f.startswith(prefix) and f[len(prefix) :].count("/") == 1 and f.endswith("/settings.py")
    )
    if plain:
        module = index.module_for(plain[0]) or ""
        return SettingsChoice(module, plain[0], f"{plain[0]} (no wsgi.py or manage.py names a settings module)")
    computed = [
        (rel, read.computed.span)
        for rel, read in [*reads.items(), (manage, manage_read)]
        if read is not None and not read.modules and read.computed is not None
    ]
    if computed:
        return SettingsChoice(
            "",
            "",
            f"{computed[0][0]} computes DJANGO_SETTINGS_MODULE in a way djhlint cannot evaluate, and no other file names a module that exists",
            span=computed[0][1],
        )
    if named and manage_read is not None:
        return SettingsChoice(
            named,
            "",
            f"{manage} defaults DJANGO_SETTINGS_MODULE to {named}, which the repository does not hold",
            span=next(each.literal or each.span for each in manage_read.defaults if each.module == named),
        )
    return SettingsChoice(
        "",
        "",
        "no settings module found (no wsgi.py, asgi.py or manage.py names one, and there is no <package>/settings.py)",
        span=Span(manage) if manage in project.files else None,
    )


def production_sibling(pointed: str, index: ModuleIndex) -> tuple[str, str] | None:
    """A production settings module beside ``pointed``, as (module, path), if one exists."""
    siblings = production_siblings(index.project, pointed, index)
    return siblings[0] if siblings else None


def production_siblings(project: Project, pointed: str, index: ModuleIndex) -> list[tuple[str, str]]:
    """The production settings modules beside ``pointed``, as (module, path), best first.

    Beside means in the same package: a package named ``settings``, or any package when
    ``pointed`` is a development module (``config.development``, ``config.django.local``)
    or is not in the repository at all (renamed, or git-ignored).  A package ``pointed``
    whose ``__init__`` star-imports modules runs its own chain and has no sibling.  A
    module ``pointed`` star-imports is a fragment of it, and so is one that imports no
    settings and leaves ``INSTALLED_APPS`` unset (``DEBUG = False`` and a host): neither
    can run on its own.  A production module ``pointed`` (``config.settings.heroku`` that
    app.json's ``DJANGO_ENV`` names) has none: it is what runs.
    """
    pointed_path = index.resolve(pointed)
    package, _, leaf = pointed.rpartition(".")
    if pointed_path is not None and leaf.lower() in PRODUCTION_NAMES and not is_fragment(project, pointed_path):
        return []  # the entry point names a production module that runs: it is the one, not a sibling
    if pointed_path is not None and pointed_path.endswith("/__init__.py"):
        if star_imports(project, pointed_path, pointed, True):
            return []
        candidates = [f"{pointed}.{name}" for name in PRODUCTION_NAMES]
    else:
        candidates = []
        in_settings = package.rsplit(".", 1)[-1] == "settings"
        beside = pointed_path is None or is_dev_module(pointed)
        if package and (in_settings or beside or "settings" in leaf):
            if in_settings or beside:
                candidates += [f"{package}.{name}" for name in PRODUCTION_NAMES]
            if "settings" in leaf:
                candidates += [f"{package}.{leaf}_{name}" for name in PRODUCTION_NAMES]
                candidates += [f"{package}.{name}_{leaf}" for name in PRODUCTION_NAMES]
    imported = set(star_imports(project, pointed_path, pointed, pointed_path.endswith("/__init__.py"))) if pointed_path else set()
    result = []
    for candidate in candidates:
        if candidate == pointed or candidate in imported:
            continue
        path = index.resolve(candidate)
        if path and not is_fragment(project, path):
            result.append((candidate, path))
    return result


def star_imports(project: Project, path: str, module: str, package: bool) -> list[str]:
    """The modules ``path`` (module ``module``) star-imports, as absolute names."""
    data = project.read(path)
    if isinstance(data, ParseError):
        return []
    names = []
    base = module if package else module.rpartition(".")[0]
    for match in STAR_IMPORT_RE.finditer(data.decode("utf-8", "replace")):
        name = match.group("module")
        dots = len(name) - len(name.lstrip("."))
        if dots:
            parent = base
            for _ in range(dots - 1):
                parent = parent.rpartition(".")[0]
            rest = name[dots:]
            name = f"{parent}.{rest}" if parent and rest else parent or rest
        names.append(name)
    return names


def is_fragment(project: Project, path: str) -> bool:
    """A module that imports no settings and leaves ``INSTALLED_APPS`` unset: a piece of
    settings that another module takes in, which cannot run on its own."""
    data = project.read(path)
    if isinstance(data, ParseError):
        return False
    text = data.decode("utf-8", "replace")
    return STAR_IMPORT_RE.search(text) is None and INSTALLED_APPS_RE.search(text) is None


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
        read = entry_defaults(project, layout, rel)
        modules = list(dict.fromkeys(read.modules)) if read is not None else []
        if read is not None and modules:
            default = modules[0]
            # a default that does not exist cannot run; one chosen among several in code djhlint cannot
            # decide is not "the" default: neither says production runs development
            decided = len(modules) == 1 and read.computed is None
            sibling = production_sibling(default, index) if decided and index.resolve(default) else None
            entry = replace(
                entry,
                settings_default=default,
                settings_span=next(each.literal or each.span for each in read.defaults if each.module == default),
                production_module=sibling[0] if sibling else None,
            )
        wrapper = STATIC_WRAPPER_RE.search(text)
        if wrapper is not None and ("dj_static" in text or "whitenoise" in text):
            entry = replace(entry, static_wrapper=wrapper.group("wrapper"))
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
