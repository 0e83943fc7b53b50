#!/usr/bin/env python
"""Benchmark djhlint against its Python peers, side by side, in one run.

Run it with the Python of a virtualenv that holds ``bench/requirements.txt`` and
djhlint itself (see ``bench/README.md``).  It generates its inputs into a temporary
folder, runs every command of a project in turn, round after round (interleaved, so
a slow moment of the machine hits all of them alike), and prints Markdown tables of
medians, ratios and peak RSS, then the issue's targets with pass or miss.

Whole-process times are wall-clock times of a fresh process, from spawn to exit.
Peak RSS is the command's ``ru_maxrss``: the largest resident set of the process or
of any child it waited for (such as ``git``), not their sum.  A child process is
charged the resident set of whoever forked it, so the command runs under GNU time
(``/usr/bin/time -f %M``), a small process, when it is installed; otherwise the
figure comes from ``os.wait4`` and includes this script's own 20-odd MiB.
In-process times (LibCST's parse, djhlint's model build, discovery) are measured
with ``time.perf_counter`` in this process, once the imports are done.
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
TUTORIAL = HERE.parent / "examples" / "tutorial"
BIN = Path(sys.executable).parent
GIT_ENV = {
    "GIT_AUTHOR_NAME": "bench",
    "GIT_AUTHOR_EMAIL": "bench@example.com",
    "GIT_COMMITTER_NAME": "bench",
    "GIT_COMMITTER_EMAIL": "bench@example.com",
}
# What manage.py check --deploy needs to import the settings; set for that command only.
CHECK_ENV = {
    "SECRET_KEY": "bench-" + "x" * 50,
    "DATABASE_URL": "sqlite:///bench.sqlite3",
    "ALLOWED_HOSTS": "example.herokuapp.com",
}
SERVICES = 20
AGAINST = " · against"  # the label's end of the rows of --against's djhlint
MONOREPO_FILES = 100_000


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def tool(name: str) -> str:
    """A console script of this virtualenv, else one on PATH."""
    candidate = BIN / name
    if candidate.exists():
        return str(candidate)
    found = shutil.which(name)
    if found is None:
        sys.exit(f"bench: {name} is not installed; pip install -r bench/requirements.txt")
    return found


# ---------------------------------------------------------------------- measuring


@dataclasses.dataclass
class Command:
    label: str
    argv: list[str]
    cwd: Path
    env: dict[str, str] = dataclasses.field(default_factory=dict)  # added to the base environment
    ok: tuple[int, ...] = (0,)  # exit codes that mean the tool ran (1 is often "found problems")
    times: list[float] = dataclasses.field(default_factory=list)
    rss_kib: list[int] = dataclasses.field(default_factory=list)


def base_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTHON"))}
    env.pop("SECRET_KEY", None)
    env.pop("DATABASE_URL", None)
    return env


GNU_TIME = "/usr/bin/time" if os.path.exists("/usr/bin/time") and sys.platform.startswith("linux") else None
RSS_FILE = Path(tempfile.gettempdir()) / f"djhlint-bench-rss-{os.getpid()}"


def run_once(command: Command, check: bool = False) -> tuple[float, int]:
    """One run: (wall seconds, peak RSS in KiB).  ``check`` fails loudly on a bad exit code."""
    env = {**base_env(), **command.env}
    out = subprocess.PIPE if check else subprocess.DEVNULL
    argv = command.argv if check or GNU_TIME is None else [GNU_TIME, "-f", "%M", "-o", str(RSS_FILE), *command.argv]
    start = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=command.cwd, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=out)
    if check:
        stdout, stderr = proc.communicate()
        elapsed = time.perf_counter() - start
        if proc.returncode not in command.ok:
            tail = (stderr or stdout).decode(errors="replace").strip().splitlines()[-5:]
            sys.exit(f"bench: {command.label!r} exited {proc.returncode}:\n  " + "\n  ".join(tail))
        return elapsed, 0
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in command.ok:
        sys.exit(f"bench: {command.label!r} exited {proc.returncode}")
    if GNU_TIME is not None:
        return elapsed, int(RSS_FILE.read_text().split()[-1])
    maxrss = usage.ru_maxrss // 1024 if sys.platform == "darwin" else usage.ru_maxrss  # bytes on macOS
    return elapsed, maxrss


def measure(commands: list[Command], rounds: int, name: str) -> None:
    """Run every command once to warm up (and check it works), then ``rounds`` interleaved rounds."""
    for command in commands:
        run_once(command, check=True)
        run_once(command, check=True)  # the second warm-up run is what "warm" means for a cache
    order = list(commands)
    rng = random.Random(6)
    for number in range(rounds):
        rng.shuffle(order)
        for command in order:
            elapsed, rss = run_once(command)
            command.times.append(elapsed)
            command.rss_kib.append(rss)
        log(f"  {name}: round {number + 1}/{rounds}")


def median_ms(values: list[float]) -> float:
    return statistics.median(values) * 1000


def interleaved(functions: dict[str, Callable[[], object]], rounds: int) -> dict[str, list[float]]:
    """In-process timings, alternating between the functions each round.

    Each call starts after a full collection: otherwise the garbage and the objects
    one function leaves to the collector are walked in the other's time (the parse
    and the model build each allocate hundreds of thousands of objects).
    """
    results: dict[str, list[float]] = {name: [] for name in functions}
    for fn in functions.values():
        fn()  # warm up
    for _ in range(rounds):
        for name, fn in functions.items():
            gc.collect()
            start = time.perf_counter()
            fn()
            results[name].append(time.perf_counter() - start)
    return results


# ---------------------------------------------------------------------- inputs


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def git_commit(root: Path) -> None:
    env = {**os.environ, **GIT_ENV}
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "--no-verify", "-m", "bench input"]):
        subprocess.run(["git", *args], cwd=root, env=env, check=True, stdout=subprocess.DEVNULL)


GITIGNORE = "__pycache__/\n*.sqlite3\n.djhlint_cache/\n"

MANAGE = '''\
#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "{settings}")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
'''

WSGI = '''\
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "{settings}")

application = get_wsgi_application()
'''

URLS = '''\
from django.contrib import admin
from django.urls import path

urlpatterns = [
    path("admin/", admin.site.urls),
]
'''

# Django's startproject apps and middleware; the 5,000-line module adds WhiteNoise.
APPS_AND_MIDDLEWARE = '''\
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
{whitenoise}    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
'''
WHITENOISE = '    "whitenoise.middleware.WhiteNoiseMiddleware",\n'

BASE = '''\
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent

''' + APPS_AND_MIDDLEWARE.format(whitenoise="") + '''
ROOT_URLCONF = "{package}.urls"
WSGI_APPLICATION = "{package}.wsgi.application"

TEMPLATES = [
    {{
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {{
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        }},
    }},
]

DATABASES = {{
    "default": {{
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": BASE_DIR / "db.sqlite3",
    }}
}}

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
'''

DEV = '''\
from .base import *  # noqa: F401,F403

DEBUG = True
SECRET_KEY = "django-insecure-only-for-development"
ALLOWED_HOSTS = ["*"]
'''

PRODUCTION = '''\
import os

import dj_database_url

from .base import *  # noqa: F401,F403
from .base import MIDDLEWARE

SECRET_KEY = os.environ["SECRET_KEY"]
DEBUG = False
ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "").split(",")

MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")
DATABASES = {
    "default": dj_database_url.config(conn_max_age=600),
}

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = True
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
'''

ROOT_FILES = {
    "Procfile": "web: gunicorn {package}.wsgi --log-file -\n",
    ".python-version": "3.13\n",
    "requirements.txt": "Django==5.2.8\ndj-database-url==3.0.1\ngunicorn==23.0.0\nwhitenoise==6.11.0\n",
    ".gitignore": GITIGNORE,
}


def split_settings_files(package: str) -> dict[str, str]:
    """A project whose settings are a package: base, dev and production."""
    files = {name: text.format(package=package) for name, text in ROOT_FILES.items()}
    files.update(
        {
            "manage.py": MANAGE.format(settings=f"{package}.settings.dev"),
            f"{package}/__init__.py": "",
            f"{package}/urls.py": URLS,
            f"{package}/wsgi.py": WSGI.format(settings=f"{package}.settings.production"),
            f"{package}/settings/__init__.py": "",
            f"{package}/settings/base.py": BASE.format(package=package),
            f"{package}/settings/dev.py": DEV,
            f"{package}/settings/production.py": PRODUCTION,
        }
    )
    return files


BIG_HEAD = '''\
"""Settings of a large, long-lived project: {lines} lines."""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = os.environ["SECRET_KEY"]
DEBUG = os.environ.get("DEBUG", "") == "1"
ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "localhost").split(",")

''' + APPS_AND_MIDDLEWARE.format(whitenoise=WHITENOISE) + '''
ROOT_URLCONF = "mysite.urls"
WSGI_APPLICATION = "mysite.wsgi.application"
DATABASES = {"default": dj_database_url.config(conn_max_age=600)}
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {},
}
'''

BIG_SECTION = '''\

# Integration {i}: a partner API, switched on per environment.
FEATURE_{i}_ENABLED = os.environ.get("FEATURE_{i}_ENABLED", "false").lower() == "true"
SERVICE_{i} = {{
    "URL": os.environ.get("SERVICE_{i}_URL", "https://service-{i}.example.com/api/"),
    "TOKEN": os.getenv("SERVICE_{i}_TOKEN"),
    "TIMEOUT": {timeout},
    "RETRIES": 3,
    "HEADERS": {{"X-Client": "mysite", "X-Section": "{i}"}},
    "ENDPOINTS": [
        "/v1/items/",
        "/v1/users/",
        "/v2/orders/",
    ],
}}
if FEATURE_{i}_ENABLED:
    SERVICE_{i}["TIMEOUT"] = 60
else:
    SERVICE_{i}["RETRIES"] = 0
LOGGING["loggers"]["integration{i}"] = {{"handlers": ["console"], "level": "INFO"}}
'''


def big_settings(lines: int = 5000) -> str:
    parts = [BIG_HEAD.replace("{lines}", f"{lines:,}")]
    count = parts[0].count("\n")
    section = BIG_SECTION.count("\n")
    i = 0
    while count + section <= lines:
        text = BIG_SECTION.format(i=i, timeout=5 + i % 30)
        parts.append(text)
        count += text.count("\n")
        i += 1
    parts.append("\n" * (lines - count))
    return "".join(parts)


def big_settings_files() -> dict[str, str]:
    files = {name: text.format(package="mysite") for name, text in ROOT_FILES.items()}
    files.update(
        {
            "manage.py": MANAGE.format(settings="mysite.settings"),
            "mysite/__init__.py": "",
            "mysite/urls.py": URLS,
            "mysite/wsgi.py": WSGI.format(settings="mysite.settings"),
            "mysite/settings.py": big_settings(),
        }
    )
    return files


def make_monorepo(root: Path, total: int = MONOREPO_FILES) -> list[str]:
    """20 Django services, a frontend with a committed node_modules, a committed virtualenv.

    Everything is tracked, the worst case for discovery: git lists every file and
    djhlint must skip node_modules and the virtualenv itself.  Returns the services.
    """
    services = []
    count = 0

    def put(rel: str, text: str) -> None:
        nonlocal count
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        count += 1

    put(".gitignore", GITIGNORE)
    put("README.md", "# The company monorepo\n")
    per_service = 1000
    for s in range(SERVICES):
        name = f"svc{s:02d}"
        package = name
        base = f"services/{name}"
        services.append(base)
        for rel, text in split_settings_files(package).items():
            if rel != ".gitignore":
                put(f"{base}/{rel}", text)
        app, made = 0, 10
        while made < per_service:
            app_dir = f"{base}/app{app}"
            for module in ("__init__", "apps", "admin", "models", "views", "urls", "forms", "tests"):
                put(f"{app_dir}/{module}.py", f"# {name}.app{app}.{module}\n")
            for number in range(20):
                put(f"{app_dir}/migrations/{number:04d}_step.py", "from django.db import migrations\n")
            for number in range(12):
                put(f"{app_dir}/templates/app{app}/page{number}.html", "<p>{{ object }}</p>\n")
            made += 40
            app += 1
    venv_files = 19_000
    put(".venv/pyvenv.cfg", "home = /usr/bin\ninclude-system-site-packages = false\n")
    for number in range(venv_files - 1):
        put(f".venv/lib/python3.12/site-packages/pkg{number // 50}/mod{number % 50}.py", "X = 1\n")
    package = 0
    while count < total:
        for number in range(min(100, total - count)):
            put(f"frontend/node_modules/pkg{package}/lib/file{number}.js", "module.exports = {};\n")
        package += 1
    git_commit(root)
    return services


# ---------------------------------------------------------------------- the benchmark


@dataclasses.dataclass
class ProjectBench:
    name: str
    root: Path  # what djhlint is given
    manage_dir: Path  # where manage.py check --deploy runs
    settings_module: str  # DJANGO_SETTINGS_MODULE for check --deploy
    settings_files: list[Path]  # for bandit
    fixit_paths: list[Path]  # for Fixit
    commands: list[Command] = dataclasses.field(default_factory=list)


def has_cache_flag(djhlint: str | None = None) -> bool:
    out = subprocess.run([djhlint or tool("djhlint"), "check", "--help"], capture_output=True, text=True, check=False)
    return "--no-cache" in out.stdout


def djhlint_commands(djhlint: str, project: ProjectBench, cache: bool, suffix: str = "", env: dict[str, str] | None = None) -> list[Command]:
    """The cold run and, when djhlint has a cache, the warm run."""
    cold = [djhlint, "--no-cache", str(project.root)] if cache else [djhlint, str(project.root)]
    commands = [Command(f"djhlint (cold){suffix}", cold, project.root, env=dict(env or {}), ok=(0, 1))]
    if cache:
        commands.append(Command(f"djhlint (warm){suffix}", [djhlint, str(project.root)], project.root, env=dict(env or {}), ok=(0, 1)))
    return commands


def commands_for(project: ProjectBench, cache: bool, against: tuple[str, bool, Path] | None = None) -> list[Command]:
    """The commands measured in a project; ``against`` is another djhlint (its console script,
    whether it has a cache, the cache folder it keeps apart), measured in the same rounds."""
    python = sys.executable
    commands = [
        Command("python -c pass", [python, "-c", "pass"], project.root),
        Command('python -c "import libcst"', [python, "-c", "import libcst"], project.root),
        *djhlint_commands(tool("djhlint"), project, cache),
    ]
    if against is not None:
        other, other_cache, cache_dir = against
        # Its own cache: the settings-model entries of two versions of the code may share keys.
        env = {"DJHLINT_CACHE_DIR": str(cache_dir / project.root.name)}
        commands += djhlint_commands(other, project, other_cache, AGAINST, env)
    commands += [
        Command(
            "manage.py check --deploy",
            [python, "manage.py", "check", "--deploy"],
            project.manage_dir,
            env={**CHECK_ENV, "DJANGO_SETTINGS_MODULE": project.settings_module},
            ok=(0, 1),
        ),
        Command("bandit", [tool("bandit"), "-q", *map(str, project.settings_files)], project.root, ok=(0, 1)),
        Command("fixit lint", [tool("fixit"), "lint", *map(str, project.fixit_paths)], project.root, ok=(0, 1)),
    ]
    return commands


def generate(workdir: Path) -> list[ProjectBench]:
    projects = []
    log("generating: tutorial")
    tutorial = workdir / "tutorial"
    shutil.copytree(TUTORIAL, tutorial)
    git_commit(tutorial)
    projects.append(
        ProjectBench("tutorial", tutorial, tutorial, "mysite.settings", [tutorial / "mysite/settings.py"], [tutorial])
    )

    log("generating: split settings")
    split = workdir / "split"
    write(split, split_settings_files("mysite"))
    git_commit(split)
    settings_dir = split / "mysite/settings"
    projects.append(
        ProjectBench(
            "split settings",
            split,
            split,
            "mysite.settings.production",
            [settings_dir / "base.py", settings_dir / "dev.py", settings_dir / "production.py"],
            [split],
        )
    )

    log("generating: 5,000-line settings module")
    big = workdir / "big"
    write(big, big_settings_files())
    git_commit(big)
    projects.append(ProjectBench("5,000-line settings", big, big, "mysite.settings", [big / "mysite/settings.py"], [big]))

    log(f"generating: {MONOREPO_FILES:,}-file monorepo (writing and committing takes a minute)")
    start = time.perf_counter()
    mono = workdir / "monorepo"
    services = make_monorepo(mono)
    log(f"  monorepo ready in {time.perf_counter() - start:.0f} s")
    settings = [mono / s / f"svc{i:02d}/settings" / leaf for i, s in enumerate(services) for leaf in ("base.py", "production.py")]
    projects.append(
        ProjectBench(
            f"monorepo ({MONOREPO_FILES // 1000}k files, {SERVICES} services)",
            mono,
            mono / services[0],
            "svc00.settings.production",
            settings,
            settings,
        )
    )
    return projects


def in_process_big(project: ProjectBench, rounds: int) -> dict[str, float]:
    """LibCST's own parse of the 5,000-line module against djhlint's model build of its project."""
    import libcst

    from django_heroku_lint.read.config import Config
    from django_heroku_lint.discover.projects import find_projects
    from django_heroku_lint.engine import build_context

    data = (project.root / "mysite/settings.py").read_bytes()
    (found,) = find_projects([str(project.root)])

    def model() -> None:
        found._cache.clear()  # read the files again, as a fresh run would
        context, _ = build_context(found, Config())
        assert context.settings is not None and context.settings.complete

    times = interleaved({"parse": lambda: libcst.parse_module(data), "model": model}, rounds)
    return {name: median_ms(values) for name, values in times.items()}


def in_process_monorepo(project: ProjectBench, rounds: int) -> dict[str, float]:
    """Discovery (finding the projects, then listing their builds' files) against the whole ``lint``."""
    from django_heroku_lint.discover import projects as discovery
    from django_heroku_lint import engine

    names = {f.name for f in dataclasses.fields(engine.Options)}
    extra = {"no_cache": True} if "no_cache" in names else {"cache": False} if "cache" in names else {}
    paths = [str(project.root)]
    functions = {
        "discovery": lambda: discovery.find_projects(paths),
        "lint": lambda: engine.lint(engine.Options(paths=paths, **extra)),
    }
    if hasattr(discovery, "locate_projects"):  # finding the projects, before their files are listed
        functions["locate"] = lambda: discovery.locate_projects(paths)
    times = interleaved(functions, rounds)
    return {name: median_ms(values) for name, values in times.items()}


def versions() -> str:
    names = ("libcst", "django", "bandit", "fixit")
    found = []
    for name in names:
        try:
            found.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            found.append(f"{name} ?")
    return f"Python {platform.python_version()}, djhlint {metadata.version('django-heroku-lint')}, " + ", ".join(found)


def report(projects: list[ProjectBench], big: dict[str, float], mono: dict[str, float], rounds: int, cache: bool, command: str, against: bool = False) -> str:
    lines = [
        f"`{command}`: {versions()}; {os.cpu_count()} CPUs; {rounds} interleaved rounds (monorepo: fewer); medians.",
        *([f"Rows ending `{AGAINST.strip()}` ran the djhlint given to `--against`, in the same rounds."] if against else []),
        "",
        "| project | command | median ms | × `import libcst` | peak RSS MiB |",
        "|---|---|---:|---:|---:|",
    ]
    for project in projects:
        floor = median_ms(project.commands[1].times)
        for c in project.commands:
            ms = median_ms(c.times)
            lines.append(f"| {project.name} | {c.label} | {ms:.0f} | {ms / floor:.2f} | {max(c.rss_kib) / 1024:.0f} |")
            if c.label == "djhlint (cold)" and not cache:
                lines.append(f"| {project.name} | djhlint (warm) | waits for the cache | | |")
    if against:
        lines += ["", "| project | run | this checkout ms | against ms | this ÷ against |", "|---|---|---:|---:|---:|"]
        for project in projects:
            for kind in ("cold", "warm"):
                ours, theirs = (next((c for c in project.commands if c.label == f"djhlint ({kind}){end}"), None) for end in ("", AGAINST))
                if ours is not None and theirs is not None:
                    a, b = median_ms(ours.times), median_ms(theirs.times)
                    lines.append(f"| {project.name} | {kind} | {a:.0f} | {b:.0f} | {a / b:.2f} |")
    lines += [
        "",
        "| in-process | median ms |",
        "|---|---:|",
        f"| `libcst.parse_module` of the 5,000-line module | {big['parse']:.1f} |",
        f"| djhlint's model build of that project (parse, settings model, positions) | {big['model']:.1f} |",
        f"| monorepo: `find_projects` (discovery: finding the projects, listing their builds) | {mono['discovery']:.0f} |",
        *([f"| monorepo: of which `locate_projects` (finding the 20 projects and their build roots) | {mono['locate']:.0f} |"] if "locate" in mono else []),
        f"| monorepo: the whole `lint` (discovery included) | {mono['lint']:.0f} |",
    ]

    def med(project: ProjectBench, label: str) -> float | None:
        for c in project.commands:
            if c.label == label:
                return median_ms(c.times)
        return None

    def peak(project: ProjectBench, label: str) -> float:
        return next(max(c.rss_kib) / 1024 for c in project.commands if c.label == label)

    tutorial, mono_project = projects[0], projects[-1]
    cold = med(tutorial, "djhlint (cold)") or 0.0
    warm = med(tutorial, "djhlint (warm)")
    libcst = med(tutorial, 'python -c "import libcst"') or 1
    rows = [
        ("cold run, tutorial ÷ `import libcst`", cold / libcst, 1.2, "×"),
        ("warm run, tutorial ÷ `import libcst`", None if warm is None else warm / libcst, 0.3, "×"),
        ("cold run, tutorial ÷ `check --deploy`", cold / (med(tutorial, "manage.py check --deploy") or 1), 0.9, "×"),
        ("warm run, tutorial ÷ bandit", None if warm is None else warm / (med(tutorial, "bandit") or 1), 0.5, "×"),
        *([("monorepo: finding the projects, share of the run", mono["locate"] / mono["lint"] * 100, 10, "%")] if "locate" in mono else []),
        ("monorepo: discovery share of the run (finding + listing)", mono["discovery"] / mono["lint"] * 100, 10, "%"),
        ("monorepo: djhlint peak RSS", peak(mono_project, "djhlint (cold)"), 150, " MiB"),
        ("5,000-line module: model build ÷ LibCST parse", big["model"] / big["parse"], 1.3, "×"),
    ]
    lines += ["", "| target | measured | limit | result |", "|---|---:|---:|---|"]
    for label, value, limit, unit in rows:
        if value is None:
            lines.append(f"| {label} | – | ≤ {limit}{unit} | waits for the cache (`--no-cache` is missing) |")
            continue
        shown = f"{value:.0f}{unit}" if unit != "×" else f"{value:.2f}×"
        bound = f"{limit}{unit}" if unit != "×" else f"{limit}×"
        lines.append(f"| {label} | {shown} | ≤ {bound} | {'pass' if value <= limit else 'miss'} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds: a rough table in a few minutes")
    parser.add_argument("--rounds", type=int, help="rounds for the small projects (default 15, --quick 3)")
    parser.add_argument("--keep", action="store_true", help="keep the generated inputs and print where they are")
    parser.add_argument("--against", metavar="DJHLINT", help="also measure this djhlint (another checkout's console script), in the same rounds")
    args = parser.parse_args()
    rounds = args.rounds or (3 if args.quick else 15)
    mono_rounds = max(2, rounds // 3)
    cache = has_cache_flag()
    if not cache:
        log("bench: djhlint has no --no-cache flag yet: measuring cold runs only")
    workdir = Path(tempfile.mkdtemp(prefix="djhlint-bench-"))
    against = None
    if args.against:
        against = (os.path.abspath(args.against), has_cache_flag(args.against), workdir / "against-cache")
    try:
        projects = generate(workdir)
        for project in projects:
            project.commands = commands_for(project, cache, against)
            log(f"measuring: {project.name}")
            measure(project.commands, mono_rounds if project is projects[-1] else rounds, project.name)
        log("measuring in-process: parse and model build, discovery")
        big = in_process_big(projects[2], rounds * 2)
        mono = in_process_monorepo(projects[-1], mono_rounds)
        command = "python bench/run.py" + (" --quick" if args.quick else "") + (f" --rounds {args.rounds}" if args.rounds else "") + (" --against DJHLINT" if args.against else "")
        print(report(projects, big, mono, rounds, cache, command, against=bool(args.against)), end="")
    finally:
        RSS_FILE.unlink(missing_ok=True)
        if args.keep:
            log(f"inputs kept in {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
