from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ..edit.intents import TextIntent
from ..ftypes import UNSAFE, Diagnostic, Fix, Span
from ..read.records import Procfile
from ..model.values import DictValue, EnvRead, Literal, Value
from .context import Context
from .rule import TREE, Case, Rule
from ._values import setting

TYPE_CHECKING = False  # typing is imported by type checkers only: djhlint starts faster without it
if TYPE_CHECKING:
    from ..edit.source import Reader

# A word starting "migrate" anywhere: the command (or a script, a make target, django-tenants'
# migrate_schemas) may well run the migrations.
MIGRATE_RE = re.compile(r"(?<![\w-])migrate")
# A Django management command: what it runs is known.
MANAGEMENT_RE = re.compile(r"(?:manage\.py|django-admin(?:\.py)?|-m\s+django)\s")
SEPARATORS_RE = re.compile(r"&&|\|\||;|\|")
# Shell words that run nothing of the app.
HARMLESS = ("echo", "printf", "cd", "set", "export", "true", ":", "exit", "sleep")


def served_database(value: Value) -> Span | None:
    """Where ``DATABASES["default"]`` is made a database a release must migrate: an
    environment read (``dj_database_url.config()``, ``env.db()``), or an engine that is not
    sqlite."""
    if not isinstance(value, DictValue):
        return None
    default = value.get("default")
    if isinstance(default, EnvRead) and default.cast == "db":
        return default.span
    if isinstance(default, DictValue):
        engine = default.get("ENGINE")
        if isinstance(engine, Literal) and isinstance(engine.value, str) and engine.value and "sqlite" not in engine.value:
            return engine.span
    return None


def release_line(ctx: Context) -> str:
    """Heroku's reference release line, for manage.py where the project keeps it."""
    manage = f"{ctx.project_dir}/manage.py" if ctx.project_dir else "manage.py"
    return f"release: python {manage} migrate --no-input"


@dataclass(frozen=True, slots=True)
class AddProcess(TextIntent):
    """``line`` is appended to the Procfile ``file``, ending as its lines end (not put
    before the first line: a byte order mark would then start the web line)."""

    file: str
    line: str

    def target_file(self) -> str:
        return self.file

    def apply(self, text: str, read: Reader, files: frozenset[str]) -> str:
        from ..edit.primitives import append_line

        return append_line(text, self.line)


def add_release(ctx: Context, procfile: Procfile) -> Fix:
    line = release_line(ctx)
    return Fix(UNSAFE, f"add `{line}` to the Procfile", intents=(AddProcess(procfile.path, line),))


def known_without_migrate(commands: list[str]) -> bool:
    """True when every command is one djhlint understands (a Django management command,
    a shell word that runs nothing of the app) and none runs ``migrate``."""
    for line in commands:
        if MIGRATE_RE.search(line):
            return False
        for part in SEPARATORS_RE.split(line):
            words = part.split()
            if words and not (MANAGEMENT_RE.search(part + " ") or words[0] in HARMLESS):
                return False
    return True


class ReleaseMigrateMissing(Rule):
    """
    ## What it does
    Flags a project whose deployed database is one the app must migrate, read from
    `DATABASE_URL` (`dj_database_url.config()`, django-environ's `env.db()`) or set to an
    engine other than sqlite, when no `release:` process of the Procfile runs `migrate`:
    there is no release process (a commented-out `# release: ...` counts as none), or it
    runs other management commands only (`release: python manage.py collectstatic`). A
    release process that runs a script (`release: ./release-tasks.sh`) is judged by the
    script's lines.

    It stays silent when it cannot tell: no Procfile (DJH303 says so), a `heroku.yml`
    (which declares its own release phase), a release script that is missing or
    unreadable, or a release command that runs anything besides management commands (a
    script in another language, `make release`), and whenever the word `migrate`
    appears in the release command or script. It does not check that the migrations
    succeed.

    ## Why it breaks on Heroku
    Nothing runs `migrate` on Heroku unless the app says so. The tutorial runs it once by
    hand in `heroku run`; the next deploy that changes a model then serves code whose
    tables do not exist yet, and requests fail with "relation does not exist" until
    someone remembers. Heroku's release phase runs a command once per deploy, before the
    new release gets traffic, and fails the deploy when the command fails: that is where
    `migrate` belongs. Heroku's reference app carries `release: ./manage.py migrate
    --no-input`.

    ## Example
    ```
    web: gunicorn mysite.wsgi --log-file -
    ```

    ## Use instead
    ```
    release: python manage.py migrate --no-input
    web: gunicorn mysite.wsgi --log-file -
    ```

    ## Fix safety
    When the Procfile has no release process, the fix adds Heroku's line at its end,
    ending as its other lines end: `release: python manage.py migrate --no-input`
    (with the path to `manage.py` when the project keeps it in a subfolder). It is unsafe: from the next deploy on,
    every deploy runs the migrations first and fails when they fail, and a migration
    that locks a big table runs while the old release still serves traffic. A release
    process that runs something else is left for you to extend.

    | the fix | safety |
    |---|---|
    | adds `release: python manage.py migrate --no-input` at the end of the Procfile | unsafe: every deploy then runs the migrations, and fails when they fail |

    ## References
    - Heroku Dev Center, "Release Phase": https://devcenter.heroku.com/articles/release-phase
    - Heroku's reference app, whose Procfile carries `release: ./manage.py migrate --no-input`: https://github.com/heroku/python-getting-started
    - Django, "Migrations": https://docs.djangoproject.com/en/stable/topics/migrations/
    """

    code = "DJH307"
    name = "release-migrate-missing"
    message = "{detail}: migrations never run on deploy, and the next model change fails with \"relation does not exist\"; add `release: python manage.py migrate --no-input`"

    INVALID = [
        Case(
            {"Procfile": "web: gunicorn mysite.wsgi --log-file -\n"},
            expect=["mysite/settings.py:36"],
            fixed={"Procfile": "web: gunicorn mysite.wsgi --log-file -\nrelease: python manage.py migrate --no-input\n"},
            unsafe=True,
        ),
        Case(
            {"Procfile": "# release: ./manage.py migrate --no-input\nweb: gunicorn mysite.wsgi --log-file -\n"},
            expect=["mysite/settings.py:36"],
            fixed={"Procfile": "# release: ./manage.py migrate --no-input\nweb: gunicorn mysite.wsgi --log-file -\nrelease: python manage.py migrate --no-input\n"},
            unsafe=True,
            note="a commented-out release line runs nothing",
        ),
        Case(
            {
                "Procfile": "release: ./release-tasks.sh\nweb: gunicorn mysite.wsgi --log-file -\n",
                "release-tasks.sh": "#!/bin/bash\nset -e\npython manage.py collectstatic --noinput\npython manage.py compilemessages\n",
            },
            expect=["Procfile:1"],
            note="the release script runs management commands, none of them migrate",
        ),
        Case(
            {
                "mysite/settings.py": (
                    "from decouple import config\n\n"
                    'SECRET_KEY = config("SECRET_KEY")\n'
                    "DATABASES = {\n"
                    '    "default": {\n'
                    '        "ENGINE": "django.db.backends.postgresql",\n'
                    '        "NAME": config("DB_NAME"),\n'
                    '        "USER": config("DB_USER"),\n'
                    '        "PASSWORD": config("DB_PASSWORD"),\n'
                    '        "HOST": config("DB_HOST"),\n'
                    "    }\n"
                    "}\n"
                ),
                "Procfile": "web: gunicorn mysite.wsgi --log-file -\n",
            },
            expect=["mysite/settings.py:6"],
            fixed={"Procfile": "web: gunicorn mysite.wsgi --log-file -\nrelease: python manage.py migrate --no-input\n"},
            unsafe=True,
        ),
    ]
    VALID = [
        Case({"Procfile": "release: python manage.py migrate --no-input\nweb: gunicorn mysite.wsgi --log-file -\n"}),
        Case(
            {
                "Procfile": "release: ./release-tasks.sh\nweb: gunicorn mysite.wsgi --log-file -\n",
                "release-tasks.sh": "#!/bin/bash\nset -e\npython manage.py migrate --noinput\npython manage.py createcachetable\n",
            },
            note="a release script is read like the Procfile line",
        ),
        Case(
            {
                "mysite/settings.py": 'DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "db.sqlite3"}}\n',
                "Procfile": "web: gunicorn mysite.wsgi --log-file -\n",
            },
            note="sqlite on a dyno is DJH501's",
        ),
        Case(
            {
                "Procfile": "web: gunicorn mysite.wsgi --log-file -\n",
                "heroku.yml": "build:\n  docker:\n    web: Dockerfile\nrelease:\n  image: web\n  command:\n    - ./deploy-tasks.sh\n",
            },
            show=TREE,
            note="heroku.yml declares its own release phase, which djhlint does not read",
        ),
        Case(
            {"Procfile": "release: python manage.py migrate_schemas --shared\nweb: gunicorn mysite.wsgi --log-file -\n"},
            note="django-tenants' migrate_schemas runs the migrations too",
        ),
        Case(
            {"Procfile": "release: bash ./scripts/release.sh\nweb: gunicorn mysite.wsgi --log-file -\n"},
            note="a release script that is not in the build cannot be read: silence",
        ),
    ]

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        procfile = ctx.procfile
        if procfile is None or "heroku.yml" in ctx.files:
            return
        binding = setting(ctx, "DATABASES")
        served = [s for s in (served_database(v) for v in binding.values) if s is not None] if binding and not binding.maybe_unset else []
        if not served:
            return
        release = procfile.process("release")
        if release is None:
            # Said where the database is read: the place stays when a fix renames a misnamed Procfile.
            detail = f"the deployed database needs migrating, and {procfile.path} has no release process"
            yield self.diagnostic(ctx, served[0], fix=add_release(ctx, procfile), detail=detail)
            return
        if ctx.release_commands is None or not known_without_migrate(ctx.release_commands):
            return
        yield self.diagnostic(ctx, release.span, detail="the release process does not run migrate")
