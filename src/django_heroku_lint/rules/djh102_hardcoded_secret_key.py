from __future__ import annotations

from typing import Iterator

from ..ftypes import Context, Diagnostic, EnvRead, Literal, Span, Value
from ..rule import Case, Rule
from ._values import setting, string_default, unique_spans


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
    No automatic fix yet. Replacing the literal with an environment read is unsafe: the
    app will not start until `heroku config:set SECRET_KEY=...` has been run.

    ## References
    - Django, "SECRET_KEY" and the deployment checklist.
    - HAZARDS.md, the hazards table; Heroku's reference app generates its fallback.
    """

    code = "DJH102"
    name = "hardcoded-secret-key"
    message = "SECRET_KEY is hardcoded ({detail}): anyone with the repository can forge sessions; read it from the environment with no literal fallback"

    INVALID = [
        Case({"mysite/settings.py": 'SECRET_KEY = "django-insecure-7h1s-1s-n0t-s3cr3t"\n'}, expect=["mysite/settings.py:1"]),
        Case(
            {"mysite/settings.py": 'import os\n\nSECRET_KEY = os.environ.get("SECRET_KEY", "dev-key")\n'},
            expect=["mysite/settings.py:3"],
        ),
        Case(
            {"mysite/settings.py": 'from decouple import config\n\nSECRET_KEY = config("SECRET_KEY", default="dj9oh154y8eh320QZX3")\n'},
            expect=["mysite/settings.py:3"],
        ),
        Case(
            {"mysite/settings.py": 'import os\n\nSECRET_KEY = os.getenv("SECRET_KEY") or "fallback"\n'},
            expect=["mysite/settings.py:3"],
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
        for span in unique_spans(list(details)):
            yield self.diagnostic(ctx, span, detail=details[span])
