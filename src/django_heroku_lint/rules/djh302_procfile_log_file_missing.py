from __future__ import annotations

import shlex
from collections.abc import Iterator

from ..ftypes import SAFE, Diagnostic, Edit, Fix, Span
from ..read.records import Process
from .context import Context
from ..read.procfile import has_log_file
from .rule import Case, Rule

LOG_FILE = " --log-file -"


def log_file_fix(process: Process, path: str) -> Fix | None:
    """Append ``--log-file -`` to the gunicorn command, where its arguments end."""
    span = process.server_span
    if span is None or span.line != span.end_line:
        return None
    try:
        shlex.split(process.command)
    except ValueError:
        return None  # a broken quote: where the arguments end is not known
    if any(arg.startswith("#") or arg == "&" for arg in process.server_args):
        return None  # a comment or a background job: the end of the line is not the end of gunicorn's arguments
    at = Span(path, span.end_line, span.end_col, span.end_line, span.end_col)
    return Fix(SAFE, "add --log-file - to the gunicorn command", edits=(Edit.replace(at, LOG_FILE),))


class ProcfileLogFileMissing(Rule):
    """
    ## What it does
    Flags a `web` process that runs gunicorn without `--log-file -` (`--log-file=-` and
    `--error-logfile -` count too), also after `cd dir &&`, behind `python -m`, in a
    misnamed Procfile, and in the script a web process runs (`web: bash ./run.sh`),
    where the server line is (a script djhlint cannot read plainly is not judged).

    ## Why it breaks on Heroku
    Heroku shows what the app writes to stdout and stderr in `heroku logs`, and nothing
    else. Gunicorn logs errors to stderr by default since 19.2, so `--log-file -` mostly
    makes the default explicit; it still protects against a gunicorn config file or
    `GUNICORN_CMD_ARGS` that sends the error log to a file on the dyno, where nobody
    will ever read why the app crashed. The tutorial's Procfile has it and warns not to
    drop the final `-`.

    Heroku's current example Procfile (`web: gunicorn --config gunicorn.conf.py
    gettingstarted.wsgi`) omits it and sets logging in the config file instead. If you
    do the same, turn this rule off with `ignore = ["DJH302"]`.

    ## Fix safety
    The fix appends `--log-file -` to the gunicorn command, where its arguments end
    (before a following `&& ...`). It is safe: it states gunicorn's own default, which
    a config file or `GUNICORN_CMD_ARGS` can no longer override.

    | the fix | safety |
    |---|---|
    | appends `--log-file -` to the gunicorn command of the web process, also after `cd dir &&`; never in a script the process runs | safe |

    ## References
    - Gunicorn, "Settings: errorlog": https://docs.gunicorn.org/en/stable/settings.html
    - Heroku Dev Center, "Logging": https://devcenter.heroku.com/articles/logging
    """

    code = "DJH302"
    name = "procfile-log-file-missing"
    per_build_root = True
    message = "the web process runs gunicorn without --log-file -: errors may never reach `heroku logs`; add --log-file -"

    INVALID = [
        Case(
            {"Procfile": "web: gunicorn mysite.wsgi\n"},
            expect=["Procfile:1"],
            fixed={"Procfile": "web: gunicorn mysite.wsgi --log-file -\n"},
        ),
        Case(
            {"Procfile": "release: python manage.py migrate\r\nweb: cd src && gunicorn mysite.wsgi:application --workers 3 && echo bye\r\n"},
            expect=["Procfile:2"],
            fixed={"Procfile": "release: python manage.py migrate\r\nweb: cd src && gunicorn mysite.wsgi:application --workers 3 --log-file - && echo bye\r\n"},
        ),
        Case(
            {"Procfile": None, "Procfile.txt": "web: gunicorn mysite.wsgi"},
            expect=["Procfile.txt:1"],
            show="Procfile.txt",
            fixed={"Procfile.txt": "web: gunicorn mysite.wsgi --log-file -"},
            note="the missing final newline stays missing",
        ),
    ]
    VALID = [
        Case({"Procfile": "web: gunicorn mysite.wsgi --log-file -\n"}),
        Case({"Procfile": "web: gunicorn mysite.wsgi --log-file=- --workers 3\n"}),
        Case({"Procfile": "web: uvicorn mysite.asgi:application --host 0.0.0.0 --port $PORT\n"}),
    ]

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        if ctx.procfile is None:
            return
        web = ctx.procfile.process("web")
        if web is None or web.server != "gunicorn" or has_log_file(web):
            return
        in_procfile = web.span.file == ctx.procfile.path  # not a script the web process runs: its lines are the author's
        yield self.diagnostic(ctx, web.server_span or web.span, fix=log_file_fix(web, ctx.procfile.path) if in_procfile else None)
