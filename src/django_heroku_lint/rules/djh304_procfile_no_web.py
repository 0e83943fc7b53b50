from __future__ import annotations

from collections.abc import Iterator

from ..ftypes import Diagnostic, Span
from .context import Context
from .rule import Case, Rule
from ._procfile import suggested_web


class ProcfileNoWeb(Rule):
    """
    ## What it does
    Flags a `Procfile` that declares no process named `web`: only workers, a `Web:` or
    `WEB:` in the wrong case, or a web line Heroku cannot read (see DJH305). A misnamed
    Procfile is left to DJH301.

    An app that really serves no HTTP (a worker-only app) is a false alarm here: turn the
    rule off with `ignore = ["DJH304"]`.

    ## Why it breaks on Heroku
    Heroku routes HTTP requests only to the process type named exactly `web`, the only
    one that receives `$PORT`. Without it the build succeeds, no web dyno runs, and
    every request fails with H14 "No web processes running".

    ## Fix safety
    No automatic fix: renaming a process could start a second copy of a worker.

    ## References
    - Heroku Dev Center, "The Procfile" ("The web process type is special"): https://devcenter.heroku.com/articles/procfile
    - Heroku Dev Center, "Heroku Error Codes" (H14): https://devcenter.heroku.com/articles/error-codes
    """

    code = "DJH304"
    name = "procfile-no-web"
    message = 'the Procfile declares no web process{detail}: requests are never routed to the app (H14); add "{line}"'

    INVALID = [
        Case({"Procfile": "worker: celery -A mysite worker\n"}, expect=["Procfile:1"]),
        Case({"Procfile": "release: python manage.py migrate\nWeb: gunicorn mysite.wsgi --log-file -\n"}, expect=["Procfile:2"]),
    ]
    VALID = [
        Case({"Procfile": "release: python manage.py migrate\nweb: gunicorn mysite.wsgi --log-file -\nworker: celery -A mysite worker\n"}),
    ]

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        procfile = ctx.procfile
        if procfile is None or procfile.path != "Procfile" or procfile.process("web") is not None:
            return
        wrong_case = next((p for p in procfile.processes if p.name.lower() == "web"), None)
        if wrong_case is not None:
            detail = f" (`{wrong_case.name}` is not `web`: process names are case-sensitive)"
            yield self.diagnostic(ctx, wrong_case.span, detail=detail, line=f"web: {wrong_case.command}")
            return
        yield self.diagnostic(ctx, Span(procfile.path), detail="", line=suggested_web(ctx))
