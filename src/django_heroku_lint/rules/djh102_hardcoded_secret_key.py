from __future__ import annotations

from collections.abc import Iterator

from ..ftypes import UNSAFE, Diagnostic, DropFallback, Fix, ReadEnv, Span
from ..model.values import EnvRead, Literal, Value
from .context import Context
from .rule import Case, Rule
from ._values import setting, string_default, unique_spans

FIX_MESSAGE = (
    "read SECRET_KEY from the environment with no fallback; set it before you deploy: "
    "heroku config:set SECRET_KEY=\"$(python -c 'import secrets; print(secrets.token_urlsafe(50))')\" "
    "(and in your local .env)"
)
DROPPABLE = ("decouple", "environ", "os.environ.get", "os.getenv")


def secret_fix(value: Value) -> Fix | None:
    """Turn a hardcoded key into an environment read with no fallback."""
    if isinstance(value, Literal):
        return Fix(UNSAFE, FIX_MESSAGE, intents=(ReadEnv(value.span, "SECRET_KEY"),))
    if not isinstance(value, EnvRead):
        return None
    if value.api == "django_heroku":
        default = value.default
        if isinstance(default, Literal) and default.span != value.span:
            return Fix(UNSAFE, FIX_MESSAGE, intents=(ReadEnv(default.span, "SECRET_KEY"),))
        return None
    if value.api in DROPPABLE or value.api.startswith("environ."):
        return Fix(UNSAFE, FIX_MESSAGE, intents=(DropFallback(value.span, value.api, value.fallback_via),))
    return None


def hardcoded(value: Value) -> tuple[Span, str] | None:
    """Where a value makes the key a known string, and how."""
    if isinstance(value, Literal) and isinstance(value.value, str) and value.value:
        return value.span, "a string literal in the source"
    if isinstance(value, EnvRead):
        default = string_default(value)
        if default is not None:
            return default.span, f"the fallback used when {value.var or 'the variable'} is unset is a string literal"
    return None


class HardcodedSecretKey(Rule):
    """
    ## What it does
    Flags a deployed `SECRET_KEY` that is a string literal, or an environment read whose
    fallback is a string literal: `os.environ.get("SECRET_KEY", "dev-key")`,
    `config("SECRET_KEY", default="...")`, `env("SECRET_KEY", default="...")`,
    `os.environ.get("SECRET_KEY") or "..."`. A read with no fallback, or with a generated
    one (`secrets.token_urlsafe(...)`, `get_random_secret_key()`), is fine. When the key
    is set differently on different branches, the rule speaks only if every branch
    hardcodes it.

    ## Why it breaks on Heroku
    A key in the repository is in its history forever: anyone with a clone can forge
    sessions, password-reset tokens and signed cookies. A literal fallback is worse than
    it looks: when the config var is missing, production silently runs with the known
    key instead of failing. Ruff's S105 and bandit catch a literal by its variable name;
    nothing catches the fallback.

    ## Fix safety
    The fix reads the key from the environment with no fallback. A literal becomes a
    read in the style the module already uses: `config("SECRET_KEY")` with
    python-decouple, `env("SECRET_KEY")` with django-environ, else
    `os.environ["SECRET_KEY"]` (adding `import os`). A read with a literal fallback
    loses the fallback: `config("SECRET_KEY", default="...")` becomes
    `config("SECRET_KEY")`, `os.environ.get("SECRET_KEY", "...")` and
    `os.getenv("SECRET_KEY") or "..."` become `os.environ["SECRET_KEY"]`.

    It is unsafe: the app will not start, on Heroku or on your machine, until the
    variable is set (`heroku config:set SECRET_KEY=...`, and your local `.env`). The
    fix message says how. Rotate the old key too: it stays in the git history.

    ## References
    - Django, "SECRET_KEY": https://docs.djangoproject.com/en/stable/ref/settings/
    - Django, deployment checklist: https://docs.djangoproject.com/en/stable/howto/deployment/checklist/
    - Heroku's reference app, which generates its fallback at random: https://github.com/heroku/python-getting-started
    """

    code = "DJH102"
    name = "hardcoded-secret-key"
    message = "SECRET_KEY is hardcoded ({detail}): anyone with the repository can forge sessions; read it from the environment with no literal fallback"

    INVALID = [
        Case(
            {"mysite/settings.py": 'SECRET_KEY = "django-insecure-7h1s-1s-n0t-s3cr3t"\n'},
            expect=["mysite/settings.py:1"],
            fixed={"mysite/settings.py": 'import os\n\nSECRET_KEY = os.environ["SECRET_KEY"]\n'},
            unsafe=True,
        ),
        Case(
            {"mysite/settings.py": 'import os\n\nSECRET_KEY = os.environ.get("SECRET_KEY", "dev-key")\n'},
            expect=["mysite/settings.py:3"],
            fixed={"mysite/settings.py": 'import os\n\nSECRET_KEY = os.environ["SECRET_KEY"]\n'},
            unsafe=True,
        ),
        Case(
            {"mysite/settings.py": 'from decouple import config\n\nSECRET_KEY = config("SECRET_KEY", default="dj9oh154y8eh320QZX3")\n'},
            expect=["mysite/settings.py:3"],
            fixed={"mysite/settings.py": 'from decouple import config\n\nSECRET_KEY = config("SECRET_KEY")\n'},
            unsafe=True,
        ),
        Case(
            {"mysite/settings.py": 'import os\n\nSECRET_KEY = os.getenv("SECRET_KEY") or "fallback"\n'},
            expect=["mysite/settings.py:3"],
            fixed={"mysite/settings.py": 'import os\n\nSECRET_KEY = os.environ["SECRET_KEY"]\n'},
            unsafe=True,
        ),
        Case(
            {"mysite/settings.py": "from decouple import config\n\n# SECURITY WARNING: keep it secret!\nSECRET_KEY = 'k3y'\n"},
            expect=["mysite/settings.py:4"],
            fixed={"mysite/settings.py": "from decouple import config\n\n# SECURITY WARNING: keep it secret!\nSECRET_KEY = config('SECRET_KEY')\n"},
            unsafe=True,
            note="the module reads the environment with python-decouple",
        ),
        Case(
            {"mysite/settings.py": 'import environ\n\nenv = environ.Env()\nSECRET_KEY = env("SECRET_KEY", default="k3y")\n'},
            expect=["mysite/settings.py:4"],
            fixed={"mysite/settings.py": 'import environ\n\nenv = environ.Env()\nSECRET_KEY = env("SECRET_KEY")\n'},
            unsafe=True,
        ),
    ]
    VALID = [
        Case({"mysite/settings.py": 'from decouple import config\n\nSECRET_KEY = config("SECRET_KEY")\n'}),
        Case({"mysite/settings.py": 'import os\nimport secrets\n\nSECRET_KEY = os.environ.get("SECRET_KEY", default=secrets.token_urlsafe(nbytes=64))\n'}),
        Case({"mysite/settings.py": 'import os\n\nSECRET_KEY = os.environ["SECRET_KEY"]\n'}),
    ]

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        binding = setting(ctx, "SECRET_KEY")
        if binding is None or binding.maybe_unset:
            return
        found = [hardcoded(value) for value in binding.values]
        if not found or any(f is None for f in found):
            return
        details = dict(f for f in found if f is not None)
        fixes = {f[0]: secret_fix(value) for value, f in zip(binding.values, found, strict=True) if f is not None}
        for span in unique_spans(list(details)):
            yield self.diagnostic(ctx, span, fix=fixes.get(span), detail=details[span])
