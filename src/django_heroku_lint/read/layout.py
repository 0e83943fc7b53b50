"""The read stage for the repository layout: Procfile, version files, app.json,
buildpacks, declared packages, and what git would commit."""

from __future__ import annotations

import json
import posixpath
import re
from dataclasses import dataclass, field

from ..discover.projects import Project
from ..ftypes import ParseError, Span
from .records import AppJsonVar, DotenvFile, Procfile, PythonPin, Requirements, VersionFile
from ..discover.gitignore import GitIgnore
from .python import decode_text, split_lines
from .docs import docs_config_vars
from .procfile import parse_procfile, script_of, server_in_script
from .requirements import misnamed_requirements, read_requirements

# Names a Procfile may wrongly carry; Procfile.windows and the local-development variants are legitimate.
LEGITIMATE_PROCFILE_SUFFIXES = (".windows", ".dev", ".development", ".local", ".test", ".example", ".sample")
# .env variants that hold no secrets by convention.
DOTENV_TEMPLATES = ("example", "sample", "template", "tmpl", "tpl", "dist", "default", "defaults", "schema", "test", "ci")
PYTHON_VERSION_MISSPELLINGS = (
    "python-version", "python-version.txt", "python-version.text", "python_version", "python_version.txt",
    "python-versions", "pythonversion", "python-version.md", ".python-version.txt", ".python-version.text",
    ".python_version", ".python-versions", ".pythonversion", ".python-version.md",
)
RUNTIME_MISSPELLINGS = ("runtime.txt", "runtime.text", "runtime", "runtime.txt.txt", "runtime.tx", ".runtime.txt", "runtimes.txt")


@dataclass(frozen=True, slots=True)
class Layout:
    """The build files Heroku reads: Procfile, version files, requirements, app.json."""

    procfile: Procfile | None
    misnamed_procfiles: list[str]
    version_files: dict[str, VersionFile]
    pipfile_lock_python: str | None
    app_json_env: dict[str, str]
    errors: list[ParseError]
    pipfile_lock_python_span: Span | None = None
    misnamed_version_files: list[str] = field(default_factory=list)
    app_json_buildpacks: list[str] | None = None
    buildpacks_file: list[str] | None = None
    requirements: Requirements | None = None
    requirements_errors: list[ParseError] = field(default_factory=list)
    misnamed_requirements: list[str] = field(default_factory=list)
    python_pins: list[PythonPin] = field(default_factory=list)
    release_commands: list[str] | None = None
    app_json_vars: list[AppJsonVar] = field(default_factory=list)
    package_json_scripts: list[str] | None = None
    slugignore: list[str] | None = None
    # Config vars the docs set with `heroku config:set` (read/docs.py): name -> (value, where).
    docs_config_vars: dict[str, tuple[str, str]] = field(default_factory=dict)


# A Procfile or a version file is a few lines: past this it is not one, and parsing
# it line by line would cost seconds and hundreds of MiB.
MAX_TEXT_BYTES = 64 * 1024


def _read_web_script(project: Project, procfile: Procfile) -> None:
    """A web process that runs a script (``web: bash ./run.sh``) is the script's server
    line: the rules judge the command that really starts.  A script that cannot be read
    or holds no plain server line leaves the process as it is, and the rules silent."""
    web = procfile.process("web")
    script = script_of(web) if web is not None else None
    if web is None or script is None or script not in project.files:
        return
    text = _text(project, script, [])
    if text is None:
        return
    found = server_in_script(web, script, text)
    if found is not None:
        procfile.processes[procfile.processes.index(web)] = found


def release_commands(project: Project, procfile: Procfile | None) -> list[str] | None:
    """The command lines the release process runs: its Procfile command, or, when it runs
    a script (``release: ./release-tasks.sh``), the script's lines that are not comments.
    ``None`` without a release process, or when its script cannot be read."""
    release = procfile.process("release") if procfile is not None else None
    if release is None:
        return None
    script = script_of(release)
    if script is None:
        return [release.command]
    if script not in project.files:
        return None
    text = _text(project, script, [])
    if text is None:
        return None
    return _content_lines(text)


def _content_lines(text: str) -> list[str]:
    """The lines of a text that are neither blank nor ``#`` comments, stripped."""
    return [line.strip() for line in split_lines(text) if line.strip() and not line.strip().startswith("#")]


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
            _read_web_script(project, procfile)
    versions: dict[str, VersionFile] = {}
    for name in ("runtime.txt", ".python-version"):
        if name not in root:
            continue
        before = len(errors)
        text = _text(project, name, errors)
        if text is None:
            if isinstance(project.read(name), ParseError):
                versions[name] = VersionFile(path=name, text="", unreadable=True)
            else:
                versions[name] = VersionFile(path=name, text="", encoding_error=errors[-1].reason if len(errors) > before else None)
            continue
        bom = text.startswith("\ufeff")
        if bom:
            text = text[1:]
        entry = VersionFile(path=name, text=text, bom=bom)
        for number, line in enumerate(split_lines(text), start=1):
            stripped = line.strip()
            if stripped and not stripped.startswith("#"):
                col = line.index(stripped[0]) + 1
                entry.versions.append((stripped, Span(name, number, col, number, col + len(stripped))))
        versions[name] = entry
    lock_python = None
    lock_python_span = None
    if "Pipfile.lock" in root:
        data = project.read("Pipfile.lock")
        if not isinstance(data, ParseError):
            try:
                lock_text = data.decode("utf-8")
                lock = json.loads(lock_text)
                lock_python = lock.get("_meta", {}).get("requires", {}).get("python_version")
                if isinstance(lock_python, str):
                    lock_python_span = search_span("Pipfile.lock", lock_text, re.compile(r'"python_version"\s*:\s*"[^"]*"'))
            except (ValueError, AttributeError, UnicodeDecodeError, RecursionError):  # RecursionError: nested thousands deep
                lock_python = None
    app_env: dict[str, str] = {}
    app_vars: list[AppJsonVar] = []
    app_buildpacks: list[str] | None = None
    if "app.json" in root:
        data = project.read("app.json")
        if not isinstance(data, ParseError):
            try:
                app = json.loads(data.decode("utf-8-sig"))
                env = app.get("env", {}) if isinstance(app, dict) else {}
                for key, value in (env.items() if isinstance(env, dict) else []):
                    app_vars.append(app_json_var(key, value))
                    if isinstance(value, dict):
                        value = value.get("value")
                    if isinstance(value, str):
                        app_env[key] = value
                packs = app.get("buildpacks") if isinstance(app, dict) else None
                if isinstance(packs, list):
                    app_buildpacks = [p.get("url", "") if isinstance(p, dict) else str(p) for p in packs]
            except (ValueError, UnicodeDecodeError, RecursionError):  # RecursionError: arrays nested thousands deep
                pass
    buildpacks_file = None
    if ".buildpacks" in root:
        text = _text(project, ".buildpacks", [])
        buildpacks_file = _content_lines(text or "")
    package_scripts: list[str] | None = None
    if "package.json" in root:
        data = project.read("package.json")
        if not isinstance(data, ParseError):
            try:
                package = json.loads(data.decode("utf-8-sig"))
                scripts = package.get("scripts") if isinstance(package, dict) else None
                package_scripts = [str(name) for name in scripts] if isinstance(scripts, dict) else []
            except (ValueError, UnicodeDecodeError, RecursionError):  # RecursionError: nested thousands deep
                pass
    slugignore = None
    if ".slugignore" in root:
        text = _text(project, ".slugignore", [])
        slugignore = _content_lines(text or "")
    requirements, requirement_errors = read_requirements(project)
    return Layout(
        procfile,
        misnamed,
        versions,
        lock_python,
        app_env,
        errors,
        pipfile_lock_python_span=lock_python_span,
        misnamed_version_files=misnamed_version_files(root),
        app_json_buildpacks=app_buildpacks,
        buildpacks_file=buildpacks_file,
        requirements=requirements,
        requirements_errors=requirement_errors,
        misnamed_requirements=misnamed_requirements(root),
        python_pins=python_pins(project),
        release_commands=release_commands(project, procfile),
        package_json_scripts=package_scripts,
        slugignore=slugignore,
        app_json_vars=app_vars,
        docs_config_vars=docs_config_vars(project),
    )


def app_json_var(name: str, entry: object) -> AppJsonVar:
    """An ``env`` entry of ``app.json``: a string is its value; of an object, the keys the
    schema defines, each taken only when it has the type the schema gives it."""
    if not isinstance(entry, dict):
        return AppJsonVar(name, entry if isinstance(entry, str) else None)
    value, description, generator, required = (entry.get(key) for key in ("value", "description", "generator", "required"))
    return AppJsonVar(
        name,
        value if isinstance(value, str) else None,
        description if isinstance(description, str) else "",
        generator if isinstance(generator, str) else None,
        required is not False,
    )


def misnamed_version_files(root_files: list[str]) -> list[str]:
    """Root files meant to be ``.python-version`` or ``runtime.txt``, when that one is absent."""
    found = []
    for name in root_files:
        lowered = name.strip().lower()
        if ".python-version" not in root_files and name != ".python-version" and lowered in PYTHON_VERSION_MISSPELLINGS + (".python-version",):
            found.append(name)
        elif "runtime.txt" not in root_files and name != "runtime.txt" and lowered in RUNTIME_MISSPELLINGS:
            found.append(name)
    return found


def search_span(rel: str, text: str, pattern: re.Pattern[str], group: int | str = 0) -> Span | None:
    match = pattern.search(text)
    if not match:
        return None
    start, end = match.start(group), match.end(group)
    line = text.count("\n", 0, start) + 1
    line_start = text.rfind("\n", 0, start) + 1
    return Span(rel, line, start - line_start + 1, line, end - line_start + 1)


# ---------------------------------------------------------------------- what git would commit


def _gitignore(project: Project) -> GitIgnore:
    ignore = GitIgnore()
    names = sorted((f for f in project.files if f == ".gitignore" or f.endswith("/.gitignore")), key=lambda f: (f.count("/"), f))
    for rel in names:
        data = project.read(rel)
        if isinstance(data, ParseError):
            continue
        ignore.add_file(rel, data.decode("utf-8", "replace"))
    return ignore


def _is_dotenv(rel: str) -> bool:
    base = rel.rsplit("/", 1)[-1]
    if base == ".env":
        return True
    if not base.startswith(".env."):
        return False
    suffix = base[len(".env.") :].lower()
    return bool(suffix) and not any(word in suffix.split(".") for word in DOTENV_TEMPLATES)


SECRET_WORDS = frozenset(
    {"SECRET", "KEY", "KEYS", "PASSWORD", "PASSWD", "PASS", "PWD", "TOKEN", "TOKENS", "CREDENTIAL", "CREDENTIALS", "PRIVATE", "APIKEY"}
)
URL_CREDENTIALS_RE = re.compile(r"://[^\s/:@]+:[^\s/@]+@")


def dotenv_secrets(text: str) -> list[str]:
    """The variables a ``.env`` text sets that look like secrets: a name made of a secret
    word (``SECRET_KEY``, ``DB_PASSWORD``, ``GITHUB_TOKEN``, ``STRIPE_API_KEY``) with a
    value, or any value that is a URL with a password (``postgres://user:pw@host/db``).
    ``WEB_CONCURRENCY=2`` or ``ENVIRONMENT=development`` leak nothing."""
    found = []
    for line in split_lines(text):
        line = line.strip().lstrip("\ufeff")
        if line.startswith("export "):
            line = line[len("export ") :].lstrip()
        name, equals, value = line.partition("=")
        name, value = name.strip(), value.strip().strip("'\"").strip()
        if not equals or not name or name.startswith("#") or not value:
            continue
        words = set(name.upper().replace("-", "_").split("_"))
        if words & SECRET_WORDS or name.upper().endswith(("KEY", "TOKEN", "SECRET", "PASSWORD")) or URL_CREDENTIALS_RE.search(value):
            found.append(name)
    return found


def committed_files(project: Project) -> tuple[list[str], list[DotenvFile]]:
    """Virtualenv folders and ``.env`` files that git commits (or would, with ``git add .``).

    Inside git, discovery's files are what git lists, so a listed file is committed or
    unignored.  Outside git only a ``.gitignore`` can tell: with none, nothing is judged.
    """
    ignore = _gitignore(project)
    venvs: list[str] = []
    for folder in project.venv_dirs:
        if project.in_git or (ignore.present and ignore.ignored_by(folder, is_dir=True) is None):
            venvs.append(folder)
    dotenvs: list[DotenvFile] = []
    for rel in sorted(f for f in project.files if _is_dotenv(f)):
        ignored = ignore.ignored_by(rel)
        if not project.in_git and (not ignore.present or ignored is not None):
            continue
        trap = ignore.comment_trap(rel) if ignored is None else None
        data = project.read(rel)
        secrets = None if isinstance(data, ParseError) else dotenv_secrets(data.decode("utf-8", "replace"))
        dotenvs.append(DotenvFile(rel, ignored_by=ignored, comment_trap=trap, secrets=secrets))
    return venvs, dotenvs


VERSION_LINE_RE = re.compile(r"^(?:python-)?(?P<version>3\.\d+)(?:\.\d+)?$")
SPECIFIER_RE = re.compile(r"(?:==|~=|\^|~|>=)\s*(?P<version>3\.\d+)")


def python_pins(project: Project) -> list[PythonPin]:
    """Python versions the project states where Heroku does not read them, most trusted first:
    a version file in a subfolder, the Pipfile's ``[requires]``, then ``pyproject.toml``."""
    pins: list[PythonPin] = []
    misplaced = sorted(
        (f for f in project.files if "/" in f and f.count("/") <= 2 and f.rpartition("/")[2] in (".python-version", "runtime.txt")),
        key=lambda f: (f.count("/"), f.rpartition("/")[2] != ".python-version", f),
    )
    for rel in misplaced:
        text = _quiet_text(project, rel)
        for line in split_lines(text or ""):
            stripped = line.strip().strip("\ufeff")
            if stripped and not stripped.startswith("#"):
                match = VERSION_LINE_RE.match(stripped)
                if match:
                    pins.append(PythonPin(match.group("version"), rel))
                break
    for rel, lookup in (
        ("Pipfile", lambda data: [_dig(data, "requires", "python_version"), _dig(data, "requires", "python_full_version")]),
        ("pyproject.toml", lambda data: [_dig(data, "project", "requires-python"), _dig(data, "tool", "poetry", "dependencies", "python")]),
    ):
        if rel not in project.files:
            continue
        data = _toml(_quiet_text(project, rel))
        for value in lookup(data) if data else ():
            if not isinstance(value, str):
                continue
            match = VERSION_LINE_RE.match(value.strip()) or SPECIFIER_RE.search(value)
            if match:
                pins.append(PythonPin(match.group("version"), rel))
                break
    return pins


def _dig(data: object, *keys: str) -> object:
    for key in keys:
        data = data.get(key) if isinstance(data, dict) else None
    return data


def _quiet_text(project: Project, rel: str) -> str | None:
    data = project.read(rel)
    if isinstance(data, ParseError):
        return None
    text = decode_text(data, rel)
    return None if isinstance(text, ParseError) else text


def _toml(text: str | None) -> dict | None:
    if text is None:
        return None
    from .config import toml_parser

    tomllib = toml_parser()

    try:
        data = tomllib.loads(text.lstrip("\ufeff"))
    except (tomllib.TOMLDecodeError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def settings_module_set_by(project: Project, layout: Layout) -> list[str]:
    """Places besides wsgi.py that set DJANGO_SETTINGS_MODULE for the running app."""
    found = []
    web = layout.procfile.process("web") if layout.procfile else None
    if web is not None and ("DJANGO_SETTINGS_MODULE" in web.env or "DJANGO_SETTINGS_MODULE" in web.command):
        found.append(f"the {layout.procfile.path} web command")  # type: ignore[union-attr]
    if "DJANGO_SETTINGS_MODULE" in layout.app_json_env:
        found.append("app.json")
    if "DJANGO_SETTINGS_MODULE" in layout.docs_config_vars:
        found.append(f"heroku config:set at {layout.docs_config_vars['DJANGO_SETTINGS_MODULE'][1]}")
    scripts = [".profile", "gunicorn.conf.py"] + sorted(f for f in project.files if f.startswith(".profile.d/"))
    if web is not None:
        for index, arg in enumerate(web.server_args):
            option, eq, value = arg.partition("=")
            if option in ("-c", "--config"):
                target = value if eq else (web.server_args[index + 1] if index + 1 < len(web.server_args) else "")
                target = target.removeprefix("python:").replace(".", "/") + ".py" if target.startswith("python:") else target
                scripts.append(posixpath.normpath(posixpath.join(web.chdir or "", target)))
    for rel in scripts:
        if rel in project.files:
            data = project.read(rel)
            if not isinstance(data, ParseError) and b"DJANGO_SETTINGS_MODULE" in data:
                found.append(rel)
    return found
