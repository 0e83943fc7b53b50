from __future__ import annotations

from collections.abc import Iterator

from ..ftypes import Diagnostic, Span
from ..model.values import DictValue, EnvRead, ListValue, Literal, Value
from .context import Context
from ..read.requirements import declared
from .rule import Case, Rule
from ._values import WHITENOISE, declare_in, setting

# A Procfile server -> the packages that provide its command.
SERVER_PACKAGES = {
    "gunicorn": ("gunicorn",),
    "uvicorn": ("uvicorn",),
    "daphne": ("daphne",),
    "waitress-serve": ("waitress",),
    "hypercorn": ("hypercorn",),
    "granian": ("granian",),
    "uwsgi": ("uwsgi", "pyuwsgi"),
}
# A module the settings import -> its package, and a same-named package that is the wrong one.
IMPORT_PACKAGES = {
    "decouple": ("python-decouple", "decouple"),
    "environ": ("django-environ", "environ"),
    "dj_database_url": ("dj-database-url", None),
    "whitenoise": ("whitenoise", None),
    "django_heroku": ("django-heroku", None),
}
POSTGRES_DRIVERS = ("psycopg", "psycopg-binary", "psycopg-c", "psycopg2", "psycopg2-binary", "psycopg2cffi")
OTHER_DRIVERS = ("mysqlclient", "pymysql", "mysql-connector-python", "oracledb", "cx-oracle", "django-cockroachdb")


def _database_url_read(value: Value) -> EnvRead | None:
    if isinstance(value, DictValue):
        default = value.get("default")
        if isinstance(default, EnvRead) and (default.cast == "db" or default.var == "DATABASE_URL"):
            return default
    return None


def _postgres_engine(value: Value) -> Literal | None:
    if isinstance(value, DictValue):
        default = value.get("default")
        if isinstance(default, DictValue):
            engine = default.get("ENGINE")
            if isinstance(engine, Literal) and isinstance(engine.value, str) and ("postgresql" in engine.value or "postgis" in engine.value):
                return engine
    return None


class RequirementMissing(Rule):
    """
    ## What it does
    Flags a package the app needs at boot that is not declared where Heroku installs
    from (`requirements.txt` with its `-r` includes, `Pipfile.lock`, `poetry.lock`,
    `uv.lock`, the dependencies of `pyproject.toml`):
    - the server a Procfile process runs (gunicorn, uvicorn, daphne, waitress, hypercorn,
      granian, uwsgi);
    - `python-decouple`, `django-environ`, `dj-database-url`, `whitenoise` and
      `django-heroku` when the deployed settings import them outside `try`/`if`;
    - `whitenoise` when the settings name its middleware or storage;
    - a Postgres driver (`psycopg`, `psycopg2`, their `-binary` forms) when `DATABASES`
      reads `DATABASE_URL` or names the postgresql engine, unless another database
      driver is declared.

    Packages brought in by another are counted where djhlint knows it (`django-heroku`
    brings whitenoise, dj-database-url and psycopg2; `channels[daphne]` brings daphne).
    Other transitive dependencies are not known, and markers (`; sys_platform ...`) are
    not evaluated. When a declaration cannot be read in full (a missing or remote `-r`
    include), the rule stays silent. It does not check Django itself or the app's other
    imports.

    ## Why it breaks on Heroku
    Heroku installs exactly what the project declares. The build succeeds, then the dyno
    crashes at boot: `gunicorn: command not found`, or `ModuleNotFoundError` from the
    settings (H10 "App crashed"); without a Postgres driver Django cannot load its
    backend. The package was installed by hand on the developer's machine, so nothing
    fails locally. The `decouple` and `environ` packages on PyPI are different projects
    from the ones these imports need.

    ## Fix safety
    No automatic fix: which version to pin is the author's call.

    ## References
    - Heroku Dev Center, "Python Dependencies via Pip": https://devcenter.heroku.com/articles/python-pip
    - Heroku Dev Center, "Heroku Error Codes" (H10): https://devcenter.heroku.com/articles/error-codes
    """

    code = "DJH601"
    name = "requirement-missing"
    message = "{package} is not declared in {installer}, but {why}: {crash}; add it to {declare}"

    INVALID = [
        Case({"requirements.txt": "Django==5.2.8\ndj-database-url==3.0.1\npsycopg[binary]==3.2.12\npython-decouple==3.8\nwhitenoise==6.11.0\n"}, expect=["Procfile:1"]),
        Case(
            {"requirements.txt": "Django==5.2.8\ndj-database-url==3.0.1\ngunicorn==23.0.0\npsycopg[binary]==3.2.12\ndecouple==0.0.7\nwhitenoise==6.11.0\n"},
            expect=["mysite/settings.py:4"],
            show="requirements.txt",
        ),
        Case(
            {"requirements.txt": "Django==5.2.8\ndj-database-url==3.0.1\ngunicorn==23.0.0\npython-decouple==3.8\nwhitenoise==6.11.0\n"},
            expect=["mysite/settings.py:36"],
            show="requirements.txt",
            note="DATABASE_URL without a Postgres driver",
        ),
    ]
    VALID = [
        Case(
            {
                "requirements.txt": "-r requirements/base.txt\ngunicorn==23.0.0  # the web server\n",
                "requirements/base.txt": "Django==5.2.8\ndj-database-url==3.0.1\npsycopg[binary]==3.2.12 ; sys_platform != 'win32'\npython-decouple==3.8\nwhitenoise[brotli]==6.11.0 \\\n    --hash=sha256:0000\n",
            }
        ),
        Case({"requirements.txt": "-r https://example.com/shared-requirements.txt\n"}, note="cannot be read in full: silent"),
    ]

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        reqs = ctx.requirements
        if reqs is None or not reqs.complete:
            return
        needs: list[tuple[tuple[str, ...], Span, str, str, str | None]] = []  # (packages, span, why, crash, wrong)
        if ctx.procfile is not None:
            for process in ctx.procfile.processes:
                if process.server in SERVER_PACKAGES:
                    needs.append(
                        (
                            SERVER_PACKAGES[process.server],
                            process.server_span or process.span,
                            f"the {process.name} process runs {process.server}",
                            f"the dyno crashes at boot ({process.server}: command not found)",
                            None,
                        )
                    )
        settings = ctx.settings
        if settings is not None and settings.complete:
            for ref in settings.imports:
                if ref.module in IMPORT_PACKAGES and not ref.guarded:
                    package, wrong = IMPORT_PACKAGES[ref.module]
                    needs.append(((package,), ref.span, f"the settings import {ref.module}", "the app crashes at boot (ModuleNotFoundError)", wrong))
            whitenoise = self._whitenoise_literal(ctx)
            if whitenoise is not None:
                needs.append((("whitenoise",), whitenoise, "the settings use WhiteNoise", "the app crashes at boot (ModuleNotFoundError)", None))
            database = self._postgres_use(ctx)
            if database is not None and not any(declared(reqs, name) for name in OTHER_DRIVERS):
                needs.append((POSTGRES_DRIVERS, database, "DATABASES uses Postgres", "Django cannot load its Postgres backend (Error loading psycopg module)", None))
        reported: set[str] = set()
        for packages, span, why, crash, wrong in needs:
            if packages[0] in reported or any(declared(reqs, name) for name in packages):
                continue
            reported.add(packages[0])
            package = "psycopg[binary]" if packages is POSTGRES_DRIVERS else packages[0]
            if wrong and reqs.get(wrong) is not None:
                crash = f"the app crashes at boot (the `{wrong}` package declared instead is a different project)"
            yield self.diagnostic(ctx, span, package=package, installer=reqs.installer, why=why, crash=crash, declare=declare_in(ctx))

    @staticmethod
    def _whitenoise_literal(ctx: Context) -> Span | None:
        calls = set(ctx.settings.django_heroku_calls) if ctx.settings else set()
        calls |= {span for kind, span in ctx.settings.events if kind == "django-on-heroku"} if ctx.settings else set()
        for name in ("MIDDLEWARE", "INSTALLED_APPS", "STATICFILES_STORAGE", "STORAGES"):
            binding = setting(ctx, name)
            if binding is None:
                continue
            for value in binding.values:
                for literal in _literals(value):
                    if isinstance(literal.value, str) and (literal.value == WHITENOISE or literal.value.startswith("whitenoise.")):
                        if literal.span not in calls:
                            return literal.span
        return None

    @staticmethod
    def _postgres_use(ctx: Context) -> Span | None:
        binding = setting(ctx, "DATABASES")
        if binding is None:
            return None
        for value in binding.values:
            read = _database_url_read(value)
            if read is not None and read.api != "django_heroku":
                return read.span
            engine = _postgres_engine(value)
            if engine is not None:
                return engine.span
        return None


def _literals(value: Value) -> Iterator[Literal]:
    if isinstance(value, Literal):
        yield value
    elif isinstance(value, ListValue):
        for item in value.items:
            yield from _literals(item)
    elif isinstance(value, DictValue):
        for _, item in value.entries:
            yield from _literals(item)
