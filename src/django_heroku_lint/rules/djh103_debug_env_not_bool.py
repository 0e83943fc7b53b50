from __future__ import annotations

from typing import Iterator

from ..ftypes import Context, Diagnostic, EnvRead
from ..rule import Case, Rule
from ._values import setting, unique_spans

SUGGESTIONS = {
    "decouple": 'config("DEBUG", default=False, cast=bool)',
    "environ": 'env.bool("DEBUG", default=False)',
}
OS_SUGGESTION = 'os.environ.get("DEBUG", "") == "True"'


class DebugEnvNotBool(Rule):
    """
    ## What it does
    Flags a `DEBUG` read from the environment that reaches Django as a string:
    `config("DEBUG")` or `config("DEBUG", default=False)` without `cast=bool`,
    `os.environ.get("DEBUG", False)`, `os.getenv("DEBUG")`, `bool(os.environ.get(...))`,
    and django-environ's `env("DEBUG")` with no bool scheme. A read that yields a real
    bool is fine: `cast=bool`, `env.bool(...)`, `environ.Env(DEBUG=(bool, False))`, a
    comparison (`== "True"`, `.lower() in (...)`), `strtobool(...)`.

    ## Why it breaks on Heroku
    Every config var is a string, and every non-empty string is true: with
    `heroku config:set DEBUG=False`, `DEBUG` is the string `"False"`, and debug pages
    with settings and stack traces are served to the world. The tutorial warns about
    exactly this ("without cast=bool, False is read as a string"). `bool("False")` is
    `True` too. `manage.py check --deploy` sees it only at run time, with the variable set.

    ## Fix safety
    No automatic fix yet. Adding `cast=bool` keeps what the author meant and is safe.

    ## References
    - python-decouple, "cast"; django-environ, "Env.bool".
    - HAZARDS.md, the hazards table.
    """

    code = "DJH103"
    name = "debug-env-not-bool"
    message = 'DEBUG is read from the environment as a string: "False" is truthy, so debug stays on; use {suggestion}'

    INVALID = [
        Case(
            {"mysite/settings.py": 'from decouple import config\n\nDEBUG = config("DEBUG", default=False)\n'},
            expect=["mysite/settings.py:3"],
        ),
        Case({"mysite/settings.py": 'import os\n\nDEBUG = os.environ.get("DEBUG", False)\n'}, expect=["mysite/settings.py:3"]),
        Case({"mysite/settings.py": 'import os\n\nDEBUG = os.getenv("DEBUG")\n'}, expect=["mysite/settings.py:3"]),
        Case({"mysite/settings.py": 'import os\n\nDEBUG = bool(os.environ.get("DEBUG"))\n'}, expect=["mysite/settings.py:3"]),
        Case({"mysite/settings.py": 'import environ\n\nenv = environ.Env()\nDEBUG = env("DEBUG", default=False)\n'}, expect=["mysite/settings.py:4"]),
    ]
    VALID = [
        Case({"mysite/settings.py": 'from decouple import config\n\nDEBUG = config("DEBUG", default=False, cast=bool)\n'}),
        Case({"mysite/settings.py": 'import os\n\nDEBUG = os.environ.get("DEBUG", "") == "True"\n'}),
        Case({"mysite/settings.py": 'import environ\n\nenv = environ.Env(DEBUG=(bool, False))\nDEBUG = env("DEBUG")\n'}),
        Case({"mysite/settings.py": 'import environ\n\nenv = environ.Env()\nDEBUG = env.bool("DEBUG", default=False)\n'}),
        Case({"mysite/settings.py": 'import os\n\nDEBUG = os.environ.get("DEBUG", "false").lower() in ("1", "true")\n'}),
    ]

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        binding = setting(ctx, "DEBUG")
        if binding is None:
            return
        reads = [v for v in binding.values if isinstance(v, EnvRead) and v.yields_string and v.api != "django_heroku"]
        by_span = {read.span: read for read in reads}
        for span in unique_spans(list(by_span)):
            read = by_span[span]
            suggestion = SUGGESTIONS.get(read.api.split(".")[0], OS_SUGGESTION)
            yield self.diagnostic(ctx, span, suggestion=suggestion)
