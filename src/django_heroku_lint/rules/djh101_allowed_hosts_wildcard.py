from __future__ import annotations

from collections.abc import Iterator

from ..ftypes import UNSAFE, Diagnostic, Fix, Span
from ..edit.intents import ReplaceString
from ..model.values import EnvRead, ListValue, Literal, Value
from .context import Context
from .rule import Case, Rule
from ._values import setting, unique_spans

HEROKU_DOMAINS = ".herokuapp.com"
FIX_MESSAGE = 'replace "*" with ".herokuapp.com", the app\'s Heroku domain; add your custom domains yourself'


def wildcards(value: Value) -> Iterator[tuple[Span, Fix | None]]:
    """Where a ``"*"`` host comes from in a value (a literal entry or an env read's
    fallback), and the fix that puts the Heroku domain there instead."""
    if isinstance(value, ListValue):
        for item in value.items:
            if isinstance(item, Literal) and item.value == "*":
                # An entry the model made up (django_heroku.settings()) has the call's span.
                fix = None if item.span == value.span else Fix(UNSAFE, FIX_MESSAGE, intents=(ReplaceString(item.span, "*", HEROKU_DOMAINS),))
                yield item.span, fix
            elif isinstance(item, EnvRead):
                yield from wildcards(item)
    elif isinstance(value, EnvRead) and value.default is not None:
        default = value.default
        if isinstance(default, Literal) and isinstance(default.value, str):
            parts = default.value.split(",")
            if "*" in (part.strip() for part in parts):
                new = ",".join(part.replace("*", HEROKU_DOMAINS) if part.strip() == "*" else part for part in parts)
                # A committed .env's value is not in the code: no fix edits it there.
                fix = None if value.fallback_via == "dotenv" else Fix(UNSAFE, FIX_MESSAGE, intents=(ReplaceString(default.span, default.value, new),))
                yield default.span, fix
        else:
            yield from wildcards(default)


class AllowedHostsWildcard(Rule):
    """
    ## What it does
    Flags a deployed `ALLOWED_HOSTS` that contains `"*"`: in a literal list, added by
    `+=` or `.append`, set by `django_heroku.settings(locals())`, or as the fallback of an
    environment read such as `config("ALLOWED_HOSTS", default="*", cast=Csv())`. A
    wildcard under an `if` is flagged too: it may be what production runs. A list read
    from the environment (`config("ALLOWED_HOSTS", cast=Csv())`, `env.list(...)`) that
    then gets `"*"` by `.append`, `.extend` or `+=` holds it whatever the config var
    says. A reader made in another module (`env = environ.Env()` in `base.py`, used
    after `from .base import env` or `from .base import *`) is followed like one made
    in the module itself.

    ## Why it breaks on Heroku
    `ALLOWED_HOSTS` is Django's defence against Host-header attacks (poisoned password
    reset links, cache poisoning). The tutorial sets `['*']` "temporarily" and it stays.
    `manage.py check --deploy` accepts it, so nothing else warns.

    Heroku's own reference app does set `["*"]` when it runs on Heroku, because the
    Heroku router only forwards requests for the app's domains. If you rely on that,
    turn this rule off with `ignore = ["DJH101"]` or a `# noqa: DJH101` on the line.

    ## Fix safety
    The fix replaces `"*"` with `".herokuapp.com"`, which accepts the app's Heroku
    domain (and any other app's on herokuapp.com, which the router only forwards to
    their own apps). It is unsafe: a custom domain (`www.example.com`) answers 400
    until you add it. There is no fix for the wildcard `django_heroku.settings()` sets:
    pass `allowed_hosts=False` and list your hosts.

    | the fix | safety |
    |---|---|
    | `"*"` → `".herokuapp.com"` | unsafe: custom domains must be added by hand |

    ## References
    - Django, "ALLOWED_HOSTS" (Host header validation): https://docs.djangoproject.com/en/stable/ref/settings/
    - Django, deployment checklist: https://docs.djangoproject.com/en/stable/howto/deployment/checklist/
    - Heroku's reference app, `gettingstarted/settings.py`: https://github.com/heroku/python-getting-started
    """

    code = "DJH101"
    name = "allowed-hosts-wildcard"
    message = 'ALLOWED_HOSTS accepts any host ("*"): Host-header attacks reach the app; list your domains, e.g. ["myapp.herokuapp.com"]'

    INVALID = [
        Case(
            {"mysite/settings.py": 'ALLOWED_HOSTS = ["*"]  # temporary\n'},
            expect=["mysite/settings.py:1"],
            fixed={"mysite/settings.py": 'ALLOWED_HOSTS = [".herokuapp.com"]  # temporary\n'},
            unsafe=True,
        ),
        Case(
            {"mysite/settings.py": "ALLOWED_HOSTS = ['localhost']\nALLOWED_HOSTS += ['*']\n"},
            expect=["mysite/settings.py:2"],
            fixed={"mysite/settings.py": "ALLOWED_HOSTS = ['localhost']\nALLOWED_HOSTS += ['.herokuapp.com']\n"},
            unsafe=True,
        ),
        Case(
            {"mysite/settings.py": 'ALLOWED_HOSTS = []\nALLOWED_HOSTS.append("*")\n'},
            expect=["mysite/settings.py:2"],
            fixed={"mysite/settings.py": 'ALLOWED_HOSTS = []\nALLOWED_HOSTS.append(".herokuapp.com")\n'},
            unsafe=True,
        ),
        Case(
            {"mysite/settings.py": 'from decouple import Csv, config\n\nALLOWED_HOSTS = config("ALLOWED_HOSTS", default="localhost, *", cast=Csv())\n'},
            expect=["mysite/settings.py:3"],
            fixed={"mysite/settings.py": 'from decouple import Csv, config\n\nALLOWED_HOSTS = config("ALLOWED_HOSTS", default="localhost, .herokuapp.com", cast=Csv())\n'},
            unsafe=True,
        ),
        Case(
            {"mysite/settings.py": 'import django_heroku\n\nALLOWED_HOSTS = ["myapp.herokuapp.com"]\ndjango_heroku.settings(locals())\n'},
            expect=["mysite/settings.py:4"],
        ),
        Case(
            {
                "mysite/settings.py": 'from decouple import Csv, config\n\nALLOWED_HOSTS = config("ALLOWED_HOSTS", cast=Csv())\nALLOWED_HOSTS.append("*")\n',
            },
            expect=["mysite/settings.py:4"],
            fixed={
                "mysite/settings.py": 'from decouple import Csv, config\n\nALLOWED_HOSTS = config("ALLOWED_HOSTS", cast=Csv())\nALLOWED_HOSTS.append(".herokuapp.com")\n',
            },
            unsafe=True,
            note="whatever the config var holds, the list also holds \"*\"",
        ),
        Case(
            {
                "mysite/settings/production.py": (
                    "from .base import *  # noqa\n"
                    "from .base import env\n\n"
                    'ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["*"])\n'
                ),
                "mysite/settings.py": None,
                "mysite/settings/__init__.py": "",
                "mysite/settings/base.py": 'import environ\n\nenv = environ.Env()\n\nDEBUG = env.bool("DJANGO_DEBUG", False)\n',
            },
            expect=["mysite/settings/production.py:4"],
            fixed={
                "mysite/settings/production.py": (
                    "from .base import *  # noqa\n"
                    "from .base import env\n\n"
                    'ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=[".herokuapp.com"])\n'
                ),
            },
            unsafe=True,
            note="the env base.py makes is the one production.py reads with (cookiecutter-django's layout)",
        ),
    ]
    VALID = [
        Case({"mysite/settings.py": 'ALLOWED_HOSTS = ["myapp.herokuapp.com", "www.example.com"]\n'}),
        Case({"mysite/settings.py": 'from decouple import Csv, config\n\nALLOWED_HOSTS = config("ALLOWED_HOSTS", cast=Csv())\n'}),
        Case({"mysite/settings.py": 'ALLOWED_HOSTS = [".herokuapp.com"]\n'}),
    ]

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        binding = setting(ctx, "ALLOWED_HOSTS")
        if binding is None:
            return
        found = [hit for value in binding.values for hit in wildcards(value)]
        fixes = dict(reversed(found))
        for span in unique_spans([span for span, _ in found]):
            yield self.diagnostic(ctx, span, fix=fixes[span])
