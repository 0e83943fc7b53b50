from __future__ import annotations

from typing import Iterator

from ..ftypes import Context, Diagnostic
from ..procfile import has_log_file
from ..rule import Case, Rule


class ProcfileLogFileMissing(Rule):
    """
    ## What it does
    Flags a `web` process that runs gunicorn without `--log-file -` (`--log-file=-` and
    `--error-logfile -` count too), also after `cd dir &&`, behind `python -m`, and in a
    misnamed Procfile.

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
    No automatic fix yet. Appending `--log-file -` to the gunicorn command is safe.

    ## References
    - Gunicorn, "Settings: errorlog".
    - HAZARDS.md, "Logs".
    """

    code = "DJH302"
    name = "procfile-log-file-missing"
    message = "the web process runs gunicorn without --log-file -: errors may never reach `heroku logs`; add --log-file -"

    INVALID = [
        Case({"Procfile": "web: gunicorn mysite.wsgi\n"}, expect=["Procfile:1"]),
        Case({"Procfile": "release: python manage.py migrate\nweb: cd src && gunicorn mysite.wsgi:application\n"}, expect=["Procfile:2"]),
        Case({"Procfile": None, "Procfile.txt": "web: gunicorn mysite.wsgi\n"}, expect=["Procfile.txt:1"], show="Procfile.txt"),
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
        yield self.diagnostic(ctx, web.server_span or web.span)
