from __future__ import annotations

from collections.abc import Iterator

from ..ftypes import Diagnostic, Span
from .context import Context
from ._procfile import suggested_web
from .rule import TREE, Case, Rule


class ProcfileMissing(Rule):
    """
    ## What it does
    Flags a Django project whose build root has no `Procfile` and nothing meant to be one
    (a misnamed `Procfile.txt` or `procfile` is DJH301's business). A project deployed
    as a container with `heroku.yml` is left alone. `Procfile.windows` and
    `Procfile.dev` do not count: Heroku never reads them.

    ## Why it breaks on Heroku
    The Python buildpack declares no default process for a Django app: without a
    Procfile the build succeeds, says "Procfile declares types -> (none)", no web dyno
    starts, and every request fails with H14 "No web processes running".

    ## Fix safety
    No automatic fix: which server and options to run is the author's call. The message
    suggests a line for the project's own wsgi module.

    ## References
    - Heroku Dev Center, "Deploying Python and Django Apps on Heroku".
    - Heroku Dev Center, "The Procfile": https://devcenter.heroku.com/articles/procfile
    - Heroku Dev Center, "Heroku Error Codes" (H14): https://devcenter.heroku.com/articles/error-codes
    """

    code = "DJH303"
    name = "procfile-missing"
    message = 'no Procfile at the build root: no web dyno starts and every request fails with H14; add a Procfile with "{line}"'

    INVALID = [
        Case({"Procfile": None}, expect=["Procfile:1"], show=TREE),
        Case({"Procfile": None, "Procfile.windows": "web: python manage.py runserver 0.0.0.0:5000\n"}, expect=["Procfile:1"], show=TREE),
    ]
    VALID = [
        Case({"Procfile": "web: gunicorn mysite.wsgi --log-file -\n"}, show=TREE),
        Case({"Procfile": None, "heroku.yml": "build:\n  docker:\n    web: Dockerfile\n"}, show=TREE),
    ]

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        if ctx.procfile is not None or ctx.misnamed_procfiles or "Procfile" in ctx.files or "heroku.yml" in ctx.files:
            return
        yield self.diagnostic(ctx, Span("Procfile"), line=suggested_web(ctx))
