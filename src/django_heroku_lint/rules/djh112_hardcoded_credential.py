from __future__ import annotations

from collections.abc import Iterator

from ..ftypes import Diagnostic, Span
from ..model.secrets import LOCAL_HOSTS, PUBLIC_PREFIXES, URL_PASSWORD_RE, credential_name, placeholder
from ..model.values import DictValue, EnvRead, ListValue, Literal, Value
from .context import Context
from .rule import Case, Rule

def secret_literal(value: Value | None) -> Literal | None:
    """The literal a credential setting holds: itself, or the fallback of an env read."""
    if isinstance(value, EnvRead) and value.api != "django_heroku":
        value = value.default
    if isinstance(value, Literal) and isinstance(value.value, str) and not placeholder(value.value):
        if not value.value.startswith(PUBLIC_PREFIXES):
            return value
    return None


def url_password(value: Value | None, seen: int = 0) -> Iterator[tuple[Literal, str]]:
    """The literal URLs with a real password in them, anywhere in ``value``, and how each is set."""
    if value is None or seen > 20:
        return
    if isinstance(value, Literal):
        if isinstance(value.value, str):
            match = URL_PASSWORD_RE.match(value.value.strip())
            if match and not placeholder(match.group(1)) and match.group(2).lower() not in LOCAL_HOSTS:
                yield value, "a URL with its password, a literal in the source"
    elif isinstance(value, EnvRead):
        for literal, _ in url_password(value.default, seen + 1):
            yield literal, f"a URL with its password, the fallback used when {value.var or 'the variable'} is unset"
    elif isinstance(value, ListValue):
        for item in value.items:
            yield from url_password(item, seen + 1)
    elif isinstance(value, DictValue):
        for _, item in value.entries:
            yield from url_password(item, seen + 1)


def database_passwords(value: Value) -> Iterator[tuple[Literal, str]]:
    """The literal PASSWORD of each database that is not on the author's own machine, and how it is set."""
    if not isinstance(value, DictValue):
        return
    for _, database in value.entries:
        if not isinstance(database, DictValue):
            continue
        host = database.get("HOST")
        if isinstance(host, Literal) and isinstance(host.value, str) and host.value.lower() in LOCAL_HOSTS:
            continue
        password = database.get("PASSWORD")
        found = secret_literal(password)
        if found is not None and password is not None:
            yield found, how(password, found)


def how(value: Value, literal: Literal) -> str:
    if isinstance(value, EnvRead) and value.default is literal:
        return f"the fallback used when {value.var or 'the variable'} is unset is a literal"
    return "a literal in the source"


class HardcodedCredential(Rule):
    """
    ## What it does
    Flags a deployed setting that holds a credential as a non-empty literal, or as an
    environment read with a literal fallback: a database `PASSWORD`
    (`DATABASES["default"]["PASSWORD"]`), a setting whose name ends in `_PASSWORD`,
    `_SECRET`, `_SECRET_KEY`, `_SECRET_ACCESS_KEY`, `_TOKEN` or `_API_KEY`
    (`EMAIL_HOST_PASSWORD`, `AWS_SECRET_ACCESS_KEY`, `STRIPE_SECRET_KEY`), and a URL with
    a password in it (`postgres://user:password@host/db`, also as the default of
    `dj_database_url.config()`). `SECRET_KEY` itself is DJH102's. The message names the
    setting, never the secret.

    It stays silent on names that only look alike (`PASSWORD_HASHERS`,
    `PASSWORD_RESET_TIMEOUT`), on empty strings and obvious placeholders (`"changeme"`,
    `"your-api-key"`, `"<password>"`), on tokens public by design (a publishable `pk_`
    Stripe key, a `pk.` Mapbox token, a name with `PUBLIC` or `PUBLISHABLE`), and on a
    password for a database or URL on the author's own machine (`localhost`,
    `127.0.0.1`, or a container named `db`, `postgres`, `mysql`, `redis` or `rabbitmq`).

    What it does not catch: a credential under a name of another shape (`STRIPE_SK`), a
    literal URL passed to `dj_database_url.parse()`, a secret in a module the settings
    do not import.

    ## Why it breaks on Heroku
    A credential in the repository is in its history forever: anyone with a clone, a
    fork or a leaked backup can read the database, send mail as the app or spend on its
    cloud account. A literal fallback is worse than it looks: when the config var is
    missing, production silently runs with the committed value instead of failing.
    Heroku keeps credentials in config vars, and Heroku Postgres rotates its own in
    `DATABASE_URL`.

    ## Example
    ```python
    EMAIL_HOST_PASSWORD = "s3cr3t-app-password"
    ```

    ## Use instead
    ```python
    EMAIL_HOST_PASSWORD = config("EMAIL_HOST_PASSWORD")
    ```
    Set it with `heroku config:set EMAIL_HOST_PASSWORD=...`, and rotate the old one: it
    stays in the git history.

    ## Fix safety
    No automatic fix: the app needs the value set as a config var first, and the
    committed credential must be rotated by hand.

    ## References
    - Heroku Dev Center, "Configuration and Config Vars": https://devcenter.heroku.com/articles/config-vars
    - Django, deployment checklist: https://docs.djangoproject.com/en/stable/howto/deployment/checklist/
    - Django, "Settings" (DATABASES PASSWORD, EMAIL_HOST_PASSWORD): https://docs.djangoproject.com/en/stable/ref/settings/
    """

    code = "DJH112"
    name = "hardcoded-credential"
    message = "{setting} holds a credential that is hardcoded ({detail}): anyone with the repository has it; read it from the environment with no literal fallback"

    INVALID = [
        Case(
            {
                "mysite/settings.py": "from decouple import config\n\nEMAIL_HOST = 'smtp.gmail.com'\nEMAIL_HOST_USER = 'shop@example.com'\nEMAIL_HOST_PASSWORD = 'qwhs lzpd odke mfpb'\n",
            },
            expect=["mysite/settings.py:5"],
        ),
        Case(
            {
                "mysite/settings.py": (
                    "import dj_database_url\n\n"
                    "DATABASES = {\n"
                    "    'default': dj_database_url.config(\n"
                    "        default='postgres://mysite:9fK2mQ7x@ec2-52-1-2-3.compute-1.amazonaws.com:5432/d8h3k2',\n"
                    "    )\n"
                    "}\n"
                ),
            },
            expect=["mysite/settings.py:5"],
            note="the database URL's fallback carries its password",
        ),
        Case(
            {
                "mysite/settings.py": (
                    "DATABASES = {\n"
                    "    'default': {\n"
                    "        'ENGINE': 'django.db.backends.postgresql',\n"
                    "        'NAME': 'd8h3k2',\n"
                    "        'USER': 'mysite',\n"
                    "        'PASSWORD': '9fK2mQ7xLw',\n"
                    "        'HOST': 'ec2-52-1-2-3.compute-1.amazonaws.com',\n"
                    "        'PORT': '5432',\n"
                    "    }\n"
                    "}\n"
                ),
            },
            expect=["mysite/settings.py:6"],
        ),
        Case(
            {
                "mysite/settings/production.py": (
                    "from .base import *  # noqa\n"
                    "from .base import env\n\n"
                    'AWS_ACCESS_KEY_ID = env("AWS_ACCESS_KEY_ID")\n'
                    'AWS_SECRET_ACCESS_KEY = env("AWS_SECRET_ACCESS_KEY", default="wJalrXUtnFEMI/K7MDENG/bPxRfiCYz")\n'
                    'STRIPE_SECRET_KEY = env("STRIPE_SECRET_KEY", default="sk_live_51H8q2vKx")\n'
                    'STRIPE_PUBLISHABLE_KEY = "pk_live_51H8q2vKx"\n'
                ),
                "mysite/settings.py": None,
                "mysite/settings/__init__.py": "",
                "mysite/settings/base.py": 'import environ\n\nenv = environ.Env()\n\nSECRET_KEY = env("SECRET_KEY")\nDEBUG = env.bool("DJANGO_DEBUG", False)\n',
                "manage.py": "import os\nimport sys\n\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings.production')\nfrom django.core.management import execute_from_command_line\n\nexecute_from_command_line(sys.argv)\n",
                "mysite/wsgi.py": "import os\n\nfrom django.core.wsgi import get_wsgi_application\n\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings.production')\napplication = get_wsgi_application()\n",
            },
            expect=["mysite/settings/production.py:5", "mysite/settings/production.py:6"],
            note="a fallback is committed as surely as a literal; the publishable key is public by design",
        ),
    ]
    VALID = [
        Case({"mysite/settings.py": "from decouple import config\n\nEMAIL_HOST_PASSWORD = config('EMAIL_HOST_PASSWORD')\nAWS_SECRET_ACCESS_KEY = config('AWS_SECRET_ACCESS_KEY', default='')\n"}),
        Case(
            {
                "mysite/settings.py": (
                    "PASSWORD_RESET_TIMEOUT = 259200\n"
                    "PASSWORD_HASHERS = ['django.contrib.auth.hashers.Argon2PasswordHasher']\n"
                    "MAPBOX_TOKEN = 'pk.eyJ1IjoibXlzaXRlIiwiYSI6ImNrMHgifQ'\n"
                    "SENDGRID_API_KEY = 'your-sendgrid-api-key'\n"
                    "DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', 'NAME': 'mysite', 'PASSWORD': 'postgres', 'HOST': 'localhost'}}\n"
                ),
            },
            note="names that only look alike, a public token, a placeholder, a database on your own machine",
        ),
        Case(
            {
                "mysite/settings.py": (
                    "import dj_database_url\n\n"
                    "DATABASES = {'default': dj_database_url.config(default='postgres://postgres:postgres@localhost:5432/mysite')}\n"
                    "CELERY_BROKER_URL = 'amqp://guest:guest@rabbitmq:5672//'\n"
                ),
            },
        ),
    ]

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        if ctx.settings is None or not ctx.settings.complete:
            return
        found: dict[Span, tuple[str, str]] = {}
        for name, binding in ctx.settings.settings.items():
            for value in binding.values:
                for literal, detail in url_password(value):
                    found.setdefault(literal.span, (name, detail))
                literals = list(database_passwords(value)) if name == "DATABASES" else []
                secret = secret_literal(value) if credential_name(name) else None
                if secret is not None:
                    literals.append((secret, how(value, secret)))
                for literal, detail in literals:
                    found.setdefault(literal.span, (name, detail))
        for span, (name, detail) in found.items():
            yield self.diagnostic(ctx, span, setting=name, detail=detail)
