from __future__ import annotations

from collections.abc import Iterator

from ..ftypes import Diagnostic, Span
from ..read.records import Process
from .context import Context
from .rule import Case, Rule

# What runs Django's management commands in a Procfile command.
MANAGERS = ("manage.py", "django-admin", "django-admin.py")
SEPARATORS = ("&&", "||", ";", "|")
# Options with which a command only reports and writes nothing.
REPORT_ONLY = {"makemigrations": ("--check", "--dry-run"), "migrate": ("--check", "--plan")}


def management_commands(command: str) -> Iterator[tuple[str, list[str], int]]:
    """Each Django management command a shell command line runs: its name, its arguments,
    and the offset of its name in ``command``.  ``python manage.py X``, ``./manage.py X``,
    ``django-admin X`` and ``python -m django X`` count; a script the line runs is not read."""
    offset = 0
    for part in _split(command):
        body = part.rstrip()
        body = next((body[: -len(s)] for s in SEPARATORS if body.endswith(s)), body)
        words = body.split()
        for index, word in enumerate(words):
            runs_django = word.endswith(MANAGERS) or (word == "django" and index > 0 and words[index - 1] == "-m")
            if runs_django and index + 1 < len(words) and not words[index + 1].startswith("-"):
                name = words[index + 1]
                at = command.find(name, offset + part.find(word) + len(word))
                yield name, words[index + 2 :], at
                break
        offset += len(part)


def _split(command: str) -> list[str]:
    """The simple commands of a line, each with the separator after it, so that their
    lengths add up to the line's."""
    parts, start, index = [], 0, 0
    while index < len(command):
        separator = next((s for s in SEPARATORS if command.startswith(s, index)), None)
        if separator is None:
            index += 1
            continue
        index += len(separator)
        parts.append(command[start:index])
        start = index
    parts.append(command[start:])
    return parts


def _writes(name: str, args: list[str]) -> bool:
    return not any(arg.split("=", 1)[0] in REPORT_ONLY[name] for arg in args)


class MigrationCommandMisplaced(Rule):
    """
    ## What it does
    Flags a Procfile process that runs `makemigrations` (any process), or a `web`
    process that runs `migrate` before its server (`web: python manage.py migrate &&
    gunicorn mysite.wsgi`). `makemigrations --check` and `--dry-run`, and `migrate
    --check` and `--plan`, write nothing and are fine.

    What it does not catch: a command run from a script the process starts
    (`web: ./start.sh`), which djhlint does not read.

    ## Why it breaks on Heroku
    A dyno's filesystem is ephemeral: the migration files `makemigrations` writes on
    Heroku vanish when the dyno stops, so they are never committed, the next
    `makemigrations` writes them again under other names, and the schema drifts from the
    migrations in the repository.

    `migrate` in the `web` command runs on every dyno start, restart and scale-up: dynos
    starting together race to apply the same migrations, and the time it takes counts
    against the 60 seconds a web dyno has to bind to `$PORT` (R10, "Boot timeout").
    Heroku's release phase runs a command once per deploy, before the new release gets
    traffic, and fails the deploy if the command fails: that is where `migrate` belongs.

    ## Example
    ```
    web: python manage.py migrate && gunicorn mysite.wsgi --log-file -
    ```

    ## Use instead
    ```
    release: python manage.py migrate --no-input
    web: gunicorn mysite.wsgi --log-file -
    ```
    Run `makemigrations` on your machine and commit the migration files it writes.

    ## Fix safety
    No automatic fix: moving a command out of the web process changes when it runs, and
    whether the app still starts without it is the author's call.

    ## References
    - Heroku Dev Center, "Release Phase": https://devcenter.heroku.com/articles/release-phase
    - Heroku Dev Center, "Dynos: the ephemeral filesystem": https://devcenter.heroku.com/articles/dynos#ephemeral-filesystem
    - Heroku Dev Center, "Heroku Error Codes" (R10): https://devcenter.heroku.com/articles/error-codes
    - Heroku's reference app, whose Procfile carries `release: ./manage.py migrate --no-input`: https://github.com/heroku/python-getting-started
    """

    code = "DJH308"
    name = "migration-command-misplaced"
    per_build_root = True
    message = "{detail}"

    INVALID = [
        Case(
            {"Procfile": "web: python manage.py migrate && gunicorn mysite.wsgi --log-file -\n"},
            expect=["Procfile:1"],
        ),
        Case(
            {"Procfile": "release: python manage.py makemigrations && python manage.py migrate --no-input\nweb: gunicorn mysite.wsgi --log-file -\n"},
            expect=["Procfile:1"],
            note="the migration files makemigrations writes vanish with the release dyno",
        ),
        Case(
            {"Procfile": "web: cd src && python -m django makemigrations --noinput; python -m django migrate; gunicorn mysite.wsgi --log-file -\n"},
            expect=["Procfile:1", "Procfile:1"],
        ),
    ]
    VALID = [
        Case({"Procfile": "release: python manage.py migrate --no-input\nweb: gunicorn mysite.wsgi --log-file -\n"}),
        Case(
            {"Procfile": "release: python manage.py makemigrations --check --dry-run && ./manage.py migrate\nweb: gunicorn mysite.wsgi --log-file -\n"},
            note="makemigrations --check writes nothing: it fails the release when a migration is missing",
        ),
        Case(
            {"Procfile": "web: python manage.py showmigrations && gunicorn mysite.wsgi --log-file -\nworker: python manage.py migrate_schemas_report\n"},
        ),
    ]

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        procfile = ctx.procfile
        if procfile is None:
            return
        for process in procfile.processes:
            for name, args, at in management_commands(process.command):
                if name not in REPORT_ONLY or not _writes(name, args):
                    continue
                if name == "makemigrations":
                    detail = (
                        f"the {process.name} process runs makemigrations: the migration files it writes vanish with the dyno, "
                        "so the schema drifts from the repository; run makemigrations locally and commit its files"
                    )
                elif process.name == "web":
                    detail = (
                        "the web process runs migrate on every dyno start: dynos race to migrate and the boot may pass "
                        "its 60 seconds (R10); move it to a release process: `release: python manage.py migrate --no-input`"
                    )
                else:
                    continue
                yield self.diagnostic(ctx, _span(procfile.path, process, at, name), detail=detail)


def _span(path: str, process: Process, at: int, name: str) -> Span:
    col = process.command_col + at
    return Span(path, process.line, col, process.line, col + len(name))
