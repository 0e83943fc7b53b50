from __future__ import annotations

from collections.abc import Iterator

from ..ftypes import Diagnostic
from .context import Context
from .rule import Case, Rule


class ParseErrorRule(Rule):
    """
    ## What it does
    Reports a file djhlint must read — a settings module in the deployed chain, the
    Procfile, `runtime.txt` or `.python-version` — that cannot be decoded or parsed: a
    syntax error, bytes that are not UTF-8, a UTF-16 file, a binary file. Also one it
    will not read: not a regular file (a FIFO), too large, or a symbolic link that leaves
    the project, whose target is never read nor shown.

    ## Why it breaks on Heroku
    Heroku's build runs `manage.py collectstatic`, which imports the settings: a syntax
    error fails the push. The Python buildpack reads version files as UTF-8 without a
    byte order mark, and a Procfile it cannot read declares no processes (H14). The
    rest of the run goes on; rules that need the broken file stay silent.

    ## Fix safety
    There is no automatic fix: djhlint never touches a file it cannot parse.

    ## References
    - Heroku Dev Center, "Django and Static Assets" (collectstatic at build time):
      https://devcenter.heroku.com/articles/django-assets
    - Heroku Dev Center, "Specifying a Python Version": https://devcenter.heroku.com/articles/python-runtimes
    - Heroku's Python buildpack, which reads the version files: https://github.com/heroku/heroku-buildpack-python
    """

    code = "DJH000"
    name = "parse-error"
    message = "cannot read this file: {reason}"

    INVALID = [
        Case({"mysite/settings.py": 'SECRET_KEY = config("SECRET_KEY"\nDEBUG = False\n'}, expect=["mysite/settings.py:2"]),
        Case({"Procfile": b"web: gunicorn mysite.wsgi \xff\n"}, expect=["Procfile:1"]),
    ]
    VALID = [Case({"mysite/settings.py": 'SECRET_KEY = config("SECRET_KEY")\nDEBUG = False\n'})]

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        for error in ctx.parse_errors:
            yield self.diagnostic(ctx, error.span, reason=error.reason)
