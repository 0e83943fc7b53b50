from __future__ import annotations

from collections.abc import Iterator

from ..ftypes import SAFE, Diagnostic, Fix
from ..edit.intents import AddStatement
from ..read.records import Process
from .context import Context
from .rule import Case, Rule
from ._values import always_true, setting

HEADER = 'SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")'
UVICORN = "web: uvicorn mysite.asgi:application --host 0.0.0.0 --port $PORT\n"


def trusts_forwarded_proto(process: Process) -> bool:
    """True when the server is told to believe the router's X-Forwarded-Proto header."""
    if process.server == "gunicorn":
        return True  # on Heroku's classic stack FORWARDED_ALLOW_IPS is "*"
    if "FORWARDED_ALLOW_IPS" in process.env:
        return True
    for arg in process.server_args:
        if arg.startswith("--forwarded-allow-ips"):
            return True
        if process.server != "uvicorn" and "proxy" in arg:
            return True  # daphne --proxy-headers, waitress --trusted-proxy...
    return False


class SslRedirectLoop(Rule):
    """
    ## What it does
    Flags a deployed `SECURE_SSL_REDIRECT` that is on while `SECURE_PROXY_SSL_HEADER` is
    unset and the web process runs a server that ignores the router's
    `X-Forwarded-Proto`: uvicorn, daphne, hypercorn, waitress, granian or uwsgi, unless
    it is told to trust the proxy (`--forwarded-allow-ips`, `FORWARDED_ALLOW_IPS`,
    daphne's `--proxy-headers`).

    Gunicorn is left alone: on Heroku's classic stack it trusts the router's header. On
    Cloud Native Buildpacks it does not, and this rule cannot tell which stack the app
    uses, so it stays silent there too.

    ## Why it breaks on Heroku
    The Heroku router terminates TLS and talks plain HTTP to the dyno, saying
    `X-Forwarded-Proto: https`. Unless the server or Django believes that header, Django
    sees every request as HTTP and answers with a redirect to HTTPS, which arrives as
    HTTP again: the browser stops with "too many redirects" and the site is down.

    ## Fix safety
    The fix adds `SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")` on the
    line after the statement that turns the redirect on (after the whole `if` block
    when it sits in one), in the same module and in the quotes the module mostly uses.
    It is safe on Heroku, whose router always sets that header and overwrites any the
    client sends, so Django learns the truth and the redirect loop ends; nothing else
    changes for requests that really are HTTPS.

    | the fix | safety |
    |---|---|
    | adds `SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")` after the statement that sets `SECURE_SSL_REDIRECT`, in the module's quotes | safe |

    ## References
    - Django, "SECURE_PROXY_SSL_HEADER" and "SECURE_SSL_REDIRECT": https://docs.djangoproject.com/en/stable/ref/settings/
    - Heroku Dev Center, "HTTP Routing: Heroku headers" (X-Forwarded-Proto):
      https://devcenter.heroku.com/articles/http-routing#heroku-headers
    """

    code = "DJH107"
    name = "ssl-redirect-loop"
    message = 'SECURE_SSL_REDIRECT is on but Django never learns the request was HTTPS ({server} ignores X-Forwarded-Proto): every request redirects forever; add SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")'

    INVALID = [
        Case(
            {"mysite/settings.py": "SECURE_SSL_REDIRECT = True\n", "Procfile": UVICORN},
            expect=["mysite/settings.py:1"],
            fixed={"mysite/settings.py": "SECURE_SSL_REDIRECT = True\n" + HEADER + "\n"},
        ),
        Case(
            {
                "mysite/settings.py": "import os\n\nSECURE_SSL_REDIRECT = True\nSESSION_COOKIE_SECURE = True\n\nTIME_ZONE = 'UTC'\nLANGUAGE_CODE = 'en-us'\n",
                "Procfile": "web: daphne mysite.asgi:application --port $PORT --bind 0.0.0.0\n",
            },
            expect=["mysite/settings.py:3"],
            fixed={
                "mysite/settings.py": "import os\n\nSECURE_SSL_REDIRECT = True\nSECURE_PROXY_SSL_HEADER = ('HTTP_X_FORWARDED_PROTO', 'https')\n"
                "SESSION_COOKIE_SECURE = True\n\nTIME_ZONE = 'UTC'\nLANGUAGE_CODE = 'en-us'\n"
            },
            note="in the module's quotes",
        ),
        Case(
            {
                "mysite/settings.py": 'from decouple import config\n\nif not config("LOCAL", default=False, cast=bool):\n    SECURE_SSL_REDIRECT = True\nelse:\n    SECURE_SSL_REDIRECT = True\nDEBUG = False\n',
                "Procfile": UVICORN,
            },
            expect=["mysite/settings.py:6"],
            fixed={
                "mysite/settings.py": 'from decouple import config\n\nif not config("LOCAL", default=False, cast=bool):\n    SECURE_SSL_REDIRECT = True\nelse:\n    SECURE_SSL_REDIRECT = True\n'
                + HEADER
                + "\nDEBUG = False\n"
            },
            note="after the whole if block",
        ),
    ]
    VALID = [
        Case(
            {"mysite/settings.py": "SECURE_SSL_REDIRECT = True\n" + HEADER + "\n", "Procfile": UVICORN}
        ),
        Case({"mysite/settings.py": "SECURE_SSL_REDIRECT = True\n", "Procfile": "web: gunicorn mysite.wsgi --log-file -\n"}),
        Case(
            {
                "mysite/settings.py": "SECURE_SSL_REDIRECT = True\n",
                "Procfile": "web: uvicorn mysite.asgi:application --port $PORT --forwarded-allow-ips='*'\n",
            }
        ),
    ]

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        binding = setting(ctx, "SECURE_SSL_REDIRECT")
        if binding is None or not always_true(binding):
            return
        if "SECURE_PROXY_SSL_HEADER" in ctx.settings.settings:  # type: ignore[union-attr]
            return
        web = ctx.procfile.process("web") if ctx.procfile else None
        if web is None or web.server is None or trusts_forwarded_proto(web):
            return
        site = binding.sites[-1]
        fix = Fix(SAFE, f"add {HEADER}", intents=(AddStatement(site, HEADER, match_quotes=True),))
        yield self.diagnostic(ctx, site, fix=fix, server=web.server)
